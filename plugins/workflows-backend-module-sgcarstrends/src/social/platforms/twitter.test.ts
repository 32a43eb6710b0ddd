import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createHmac } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SocialPlatformError } from './SocialPlatformError';
import { twitterPlatform } from './twitter';

const env = {
  TWITTER_APP_KEY: 'consumer-key-1',
  TWITTER_APP_SECRET: 'consumer secret/with+chars',
  TWITTER_ACCESS_TOKEN: '123-access-token',
  TWITTER_ACCESS_SECRET: 'access!secret*',
};

/** RFC 3986 encoding as OAuth 1.0a defines it (section 3.6). */
function oauthEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Parameters sort by encoded name, then value, in byte order. */
function byteOrder(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

function parseOAuthHeader(header: string): Record<string, string> {
  expect(header.startsWith('OAuth ')).toBe(true);
  const params: Record<string, string> = {};
  for (const part of header.slice('OAuth '.length).split(/,\s*/)) {
    const match = /^([^=]+)="([^"]*)"$/.exec(part);
    if (!match) {
      throw new Error(`Malformed OAuth header part: ${part}`);
    }
    params[decodeURIComponent(match[1])] = decodeURIComponent(match[2]);
  }
  return params;
}

/**
 * Verifies the request the way Twitter does: rebuild the signature base
 * string from the method, URL and oauth_* parameters and recompute HMAC-SHA1.
 */
function verifyOAuthSignature(request: Request): Record<string, string> {
  const params = parseOAuthHeader(request.headers.get('authorization') ?? '');
  const url = new URL(request.url);
  const signed: Array<[string, string]> = [
    ...Object.entries(params).filter(([key]) => key !== 'oauth_signature'),
    ...url.searchParams.entries(),
  ];
  const parameterString = signed
    .map(([k, v]) => [oauthEncode(k), oauthEncode(v)])
    .sort(([ak, av], [bk, bv]) => byteOrder(ak, bk) || byteOrder(av, bv))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const baseString = [
    request.method.toUpperCase(),
    oauthEncode(`${url.origin}${url.pathname}`),
    oauthEncode(parameterString),
  ].join('&');
  const signingKey = `${oauthEncode(env.TWITTER_APP_SECRET)}&${oauthEncode(
    env.TWITTER_ACCESS_SECRET,
  )}`;
  const expected = createHmac('sha1', signingKey)
    .update(baseString)
    .digest('base64');

  expect(params.oauth_signature).toBe(expected);
  expect(params.oauth_signature_method).toBe('HMAC-SHA1');
  expect(params.oauth_version).toBe('1.0');
  expect(params.oauth_consumer_key).toBe(env.TWITTER_APP_KEY);
  expect(params.oauth_token).toBe(env.TWITTER_ACCESS_TOKEN);
  expect(params.oauth_nonce).toMatch(/^\w{16,}$/);
  expect(
    Math.abs(Number(params.oauth_timestamp) - Date.now() / 1000),
  ).toBeLessThan(60);
  return params;
}

describe('Twitter', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('posts the tweet with a valid OAuth 1.0a signature and returns its id', async () => {
    const received: unknown[] = [];
    let signatureError: unknown;
    server.use(
      http.post('https://api.twitter.com/2/tweets', async ({ request }) => {
        try {
          verifyOAuthSignature(request);
        } catch (error) {
          signatureError = error;
          return HttpResponse.json({ title: 'Unauthorized' }, { status: 401 });
        }
        received.push({
          contentType: request.headers.get('content-type'),
          body: await request.json(),
        });
        return HttpResponse.json(
          { data: { id: '1790000000000000001', text: 'ignored' } },
          { status: 201 },
        );
      }),
    );

    const text =
      'Latest COE results for 2024-05 (2nd Bidding)\n\nhttps://e.com/coe';
    const result = await twitterPlatform.publish(text, env);

    expect(signatureError).toBeUndefined();
    expect(result).toEqual({
      postId: '1790000000000000001',
      url: 'https://x.com/i/web/status/1790000000000000001',
    });
    expect(received).toEqual([
      { contentType: 'application/json', body: { text } },
    ]);
  });

  it('signature check in the handler rejects a request signed with another secret', async () => {
    let signatureError: unknown;
    server.use(
      http.post('https://api.twitter.com/2/tweets', ({ request }) => {
        try {
          verifyOAuthSignature(request);
        } catch (error) {
          signatureError = error;
        }
        return HttpResponse.json({ data: { id: '1' } }, { status: 201 });
      }),
    );
    await twitterPlatform.publish('hi', {
      ...env,
      TWITTER_ACCESS_SECRET: 'a-different-secret',
    });
    expect(signatureError).toBeDefined();
  });

  it('throws an error naming Twitter and the status with the reason', async () => {
    server.use(
      http.post('https://api.twitter.com/2/tweets', () =>
        HttpResponse.json(
          {
            detail: 'You are not permitted to perform this action.',
            status: 403,
          },
          { status: 403 },
        ),
      ),
    );
    const error = await twitterPlatform.publish('hi', env).catch(e => e);
    expect(error).toBeInstanceOf(SocialPlatformError);
    expect(error.status).toBe(403);
    expect(error.mayHavePosted).toBe(false);
    expect(error.message).toBe(
      'Twitter refused to post the tweet: HTTP 403: {"detail":"You are not permitted to perform this action.","status":403}',
    );
  });

  it('says that a refused duplicate means the earlier tweet went through', async () => {
    server.use(
      http.post('https://api.twitter.com/2/tweets', () =>
        HttpResponse.json(
          {
            detail:
              'You are not allowed to create a Tweet with duplicate content.',
            status: 403,
          },
          { status: 403 },
        ),
      ),
    );
    const error = await twitterPlatform.publish('hi', env).catch(e => e);
    expect(error.mayHavePosted).toBe(false);
    expect(error.message).toBe(
      'A tweet with exactly this text already exists on the account, so an earlier attempt went through; mark the post as posted ' +
        '(Twitter refused to post the tweet: HTTP 403): {"detail":"You are not allowed to create a Tweet with duplicate content.","status":403}',
    );
  });

  it('checks health with a signed GET /2/users/me', async () => {
    server.use(
      http.get('https://api.twitter.com/2/users/me', ({ request }) => {
        verifyOAuthSignature(request);
        return HttpResponse.json({
          data: { id: '42', name: 'SG Cars Trends', username: 'sgcarstrends' },
        });
      }),
    );
    await expect(twitterPlatform.checkHealth(env)).resolves.toEqual({
      ok: true,
      message: 'Authenticated as @sgcarstrends',
    });
  });

  it('names the missing variables', () => {
    expect(
      twitterPlatform.missingEnv({
        TWITTER_APP_KEY: 'k',
        TWITTER_ACCESS_TOKEN: 't',
      }),
    ).toEqual(['TWITTER_APP_SECRET', 'TWITTER_ACCESS_SECRET']);
  });
});
