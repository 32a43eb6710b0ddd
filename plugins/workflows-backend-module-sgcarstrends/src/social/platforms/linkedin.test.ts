import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  escapeLinkedInLittleText,
  LINKEDIN_API_VERSION,
  linkedInPlatform,
} from './linkedin';
import { SocialPlatformError } from './SocialPlatformError';

const TOKEN_URL = 'https://www.linkedin.com/oauth/v2/accessToken';
const POSTS_URL = 'https://api.linkedin.com/rest/posts';

const env = {
  LINKEDIN_CLIENT_ID: 'client-id-1',
  LINKEDIN_CLIENT_SECRET: 'client-secret-1',
  LINKEDIN_REFRESH_TOKEN: 'refresh-token-1',
  LINKEDIN_ORGANISATION_ID: '98765',
};

describe('LinkedIn', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('refreshes the access token first, then creates the organisation post with it', async () => {
    const calls: string[] = [];
    let tokenForm: Record<string, string> | undefined;
    let postRequest:
      | { headers: Record<string, string | null>; body: unknown }
      | undefined;
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        calls.push('refresh');
        expect(request.headers.get('content-type')).toBe(
          'application/x-www-form-urlencoded',
        );
        tokenForm = Object.fromEntries(
          new URLSearchParams(await request.text()),
        );
        return HttpResponse.json({
          access_token: 'fresh-access-token',
          expires_in: 5184000,
        });
      }),
      http.post(POSTS_URL, async ({ request }) => {
        calls.push('post');
        postRequest = {
          headers: {
            authorization: request.headers.get('authorization'),
            'linkedin-version': request.headers.get('linkedin-version'),
            'x-restli-protocol-version': request.headers.get(
              'x-restli-protocol-version',
            ),
            'content-type': request.headers.get('content-type'),
          },
          body: await request.json(),
        };
        return new HttpResponse(null, {
          status: 201,
          headers: { 'x-restli-id': 'urn:li:share:7190000000000000000' },
        });
      }),
    );

    const text =
      'Latest COE results for 2024-05 (2nd Bidding)\n\nCategory A: S$95,689\n\nhttps://e.com/coe?utm_source=linkedin&utm_medium=social';
    const result = await linkedInPlatform.publish(text, env);

    expect(calls).toEqual(['refresh', 'post']);
    expect(tokenForm).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-token-1',
      client_id: 'client-id-1',
      client_secret: 'client-secret-1',
    });
    expect(postRequest).toEqual({
      headers: {
        authorization: 'Bearer fresh-access-token',
        'linkedin-version': LINKEDIN_API_VERSION,
        'x-restli-protocol-version': '2.0.0',
        'content-type': 'application/json',
      },
      body: {
        author: 'urn:li:organization:98765',
        // Parentheses escaped (unescaped, LinkedIn cuts the post there); the link untouched.
        commentary:
          'Latest COE results for 2024-05 \\(2nd Bidding\\)\n\nCategory A: S$95,689\n\nhttps://e.com/coe?utm_source=linkedin&utm_medium=social',
        visibility: 'PUBLIC',
        distribution: {
          feedDistribution: 'MAIN_FEED',
          targetEntities: [],
          thirdPartyDistributionChannels: [],
        },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
      },
    });
    expect(result).toEqual({
      postId: 'urn:li:share:7190000000000000000',
      url: 'https://www.linkedin.com/feed/update/urn:li:share:7190000000000000000/',
    });
  });

  it('escapes every little-text reserved character outside links', () => {
    expect(
      escapeLinkedInLittleText(
        'a\\b|c{d}e@f[g]h(i)j<k>l#m*n_o~p https://e.com/a_b(c)',
      ),
    ).toBe(
      'a\\\\b\\|c\\{d\\}e\\@f\\[g\\]h\\(i\\)j\\<k\\>l\\#m\\*n\\_o\\~p https://e.com/a_b(c)',
    );
  });

  it('uses LINKEDIN_API_VERSION from the environment when set', async () => {
    let version: string | null = null;
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json({ access_token: 'access-token-2' }),
      ),
      http.post(POSTS_URL, ({ request }) => {
        version = request.headers.get('linkedin-version');
        return new HttpResponse(null, {
          status: 201,
          headers: { 'x-restli-id': 'urn:li:share:1' },
        });
      }),
    );
    await linkedInPlatform.publish('hi', {
      ...env,
      LINKEDIN_API_VERSION: '202701',
    });
    expect(version).toBe('202701');
  });

  it('says the refresh token must be renewed when LinkedIn rejects it, and posts nothing', async () => {
    let posted = false;
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json(
          {
            error: 'invalid_grant',
            error_description:
              'The provided authorization grant or refresh token is invalid, expired or revoked',
          },
          { status: 400 },
        ),
      ),
      http.post(POSTS_URL, () => {
        posted = true;
        return new HttpResponse(null, { status: 201 });
      }),
    );
    const error = await linkedInPlatform.publish('hi', env).catch(e => e);
    expect(error).toBeInstanceOf(SocialPlatformError);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      /^LinkedIn refresh token expired or was revoked: the refresh token must be renewed\. Authorise the app again and update LINKEDIN_REFRESH_TOKEN \(LinkedIn refused to refresh the access token: HTTP 400\): \{"error":"invalid_grant"/,
    );
    expect(posted).toBe(false);

    await expect(linkedInPlatform.checkHealth(env)).resolves.toMatchObject({
      ok: false,
      message: expect.stringContaining('the refresh token must be renewed'),
    });
  });

  it('reports other refresh failures as they are (e.g. a wrong client secret)', async () => {
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json(
          {
            error: 'invalid_client',
            error_description: 'Client authentication failed',
          },
          { status: 401 },
        ),
      ),
    );
    const error = await linkedInPlatform.publish('hi', env).catch(e => e);
    expect(error.message).toBe(
      'LinkedIn refused to refresh the access token: HTTP 401: {"error":"invalid_client","error_description":"Client authentication failed"}',
    );
  });

  it('throws when the post is refused, naming LinkedIn and the status', async () => {
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json({ access_token: 'access-token-2' }),
      ),
      http.post(POSTS_URL, () =>
        HttpResponse.json(
          {
            status: 426,
            code: 'NONEXISTENT_VERSION',
            message: 'Requested version 202405 is not active',
          },
          { status: 426 },
        ),
      ),
    );
    const error = await linkedInPlatform.publish('hi', env).catch(e => e);
    expect(error).toBeInstanceOf(SocialPlatformError);
    expect(error.message).toMatch(
      /^LinkedIn refused to create the organisation post: HTTP 426: .*NONEXISTENT_VERSION/,
    );
  });

  it('health refreshes the token and warns when the refresh token expires soon', async () => {
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json({
          access_token: 'access-token-2',
          refresh_token_expires_in: 10 * 86_400,
        }),
      ),
    );
    await expect(linkedInPlatform.checkHealth(env)).resolves.toEqual({
      ok: true,
      message:
        'Access token refreshed; the refresh token expires in 10 days, renew it soon',
      attention: true,
    });
  });
});
