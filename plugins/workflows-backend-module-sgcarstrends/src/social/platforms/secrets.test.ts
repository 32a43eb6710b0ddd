import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { serializeError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { FetchFn, SocialPlatform } from '../SocialPlatform';
import { discordPlatform } from './discord';
import { linkedInPlatform } from './linkedin';
import { telegramPlatform } from './telegram';
import { twitterPlatform } from './twitter';

const DISCORD_TOKEN = 'DISCORD-WEBHOOK-TOKEN-s3cr3t';
const TELEGRAM_SECRET_HALF = 'TELEGRAM-TOKEN-s3cr3t';
const LINKEDIN_ACCESS_TOKEN = 'LINKEDIN-ACCESS-TOKEN-s3cr3t';

// Recognisable values, some with characters that encode differently in URLs, forms and JSON.
const env = {
  DISCORD_WEBHOOK_URL: `https://discord.com/api/webhooks/555/${DISCORD_TOKEN}`,
  TELEGRAM_BOT_TOKEN: `8001:${TELEGRAM_SECRET_HALF}`,
  TELEGRAM_CHANNEL_ID: '@channel',
  LINKEDIN_CLIENT_ID: 'linkedin-client',
  LINKEDIN_CLIENT_SECRET: 'LINKEDIN-CLIENT-SECRET s3cr3t*',
  LINKEDIN_REFRESH_TOKEN: 'LINKEDIN-REFRESH-TOKEN/s3cr3t+=',
  LINKEDIN_ORGANISATION_ID: '98765',
  TWITTER_APP_KEY: 'TWITTER-APP-KEY-s3cr3t',
  TWITTER_APP_SECRET: 'TWITTER-APP-SECRET-s3cr3t',
  TWITTER_ACCESS_TOKEN: 'TWITTER-ACCESS-TOKEN-s3cr3t',
  TWITTER_ACCESS_SECRET: 'TWITTER-ACCESS-SECRET-s3cr3t',
};

const secretValues = [
  env.DISCORD_WEBHOOK_URL,
  DISCORD_TOKEN,
  env.TELEGRAM_BOT_TOKEN,
  TELEGRAM_SECRET_HALF,
  env.LINKEDIN_CLIENT_SECRET,
  env.LINKEDIN_REFRESH_TOKEN,
  LINKEDIN_ACCESS_TOKEN,
  env.TWITTER_APP_KEY,
  env.TWITTER_APP_SECRET,
  env.TWITTER_ACCESS_TOKEN,
  env.TWITTER_ACCESS_SECRET,
];

/** Every spelling under which a leaked value could be recognised. */
const forbidden = secretValues.flatMap(value => [
  value,
  encodeURIComponent(value),
  new URLSearchParams({ s: value }).toString().slice(2),
  JSON.stringify(value).slice(1, -1),
]);

function expectNoSecrets(text: string) {
  for (const value of forbidden) {
    expect(text).not.toContain(value);
  }
}

/** A hostile reply that repeats everything the client sent. */
async function echo(request: Request, status: number) {
  return HttpResponse.json(
    {
      error: 'echo',
      url: request.url,
      authorization: request.headers.get('authorization'),
      body: await request.text(),
    },
    { status },
  );
}

const platforms: SocialPlatform[] = [
  discordPlatform,
  telegramPlatform,
  linkedInPlatform,
  twitterPlatform,
];

describe('secrets never appear in errors or health messages', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function echoEverywhere(status: number) {
    server.use(
      http.all(/^https:\/\/discord\.com\//, ({ request }) =>
        echo(request, status),
      ),
      http.all(/^https:\/\/api\.telegram\.org\//, ({ request }) =>
        echo(request, status),
      ),
      http.all(/^https:\/\/api\.linkedin\.com\//, ({ request }) =>
        echo(request, status),
      ),
      http.all(/^https:\/\/api\.twitter\.com\//, ({ request }) =>
        echo(request, status),
      ),
    );
  }

  function linkedInRefreshEchoes(status: number) {
    server.use(
      http.post(
        'https://www.linkedin.com/oauth/v2/accessToken',
        ({ request }) => echo(request, status),
      ),
    );
  }

  function linkedInRefreshSucceeds() {
    server.use(
      http.post('https://www.linkedin.com/oauth/v2/accessToken', () =>
        HttpResponse.json({ access_token: LINKEDIN_ACCESS_TOKEN }),
      ),
    );
  }

  it.each(platforms.map(p => [p.name, p] as const))(
    '%s: a refused publish echoing the request',
    async (_name, platform) => {
      echoEverywhere(401);
      linkedInRefreshSucceeds();
      const error = await platform.publish('hello', env).catch(e => e);
      expect(error).toBeInstanceOf(Error);
      // The reply was echoed: the check below is meaningful only if it contained the secrets.
      expect(error.message).toContain('[redacted]');
      expectNoSecrets(error.message);
      expectNoSecrets(String(error.stack));
      expectNoSecrets(JSON.stringify(serializeError(error)));
    },
  );

  it('LinkedIn: a refused token refresh echoing the form', async () => {
    linkedInRefreshEchoes(400);
    const error = await linkedInPlatform.publish('hello', env).catch(e => e);
    expect(error.message).toContain('[redacted]');
    expectNoSecrets(JSON.stringify(serializeError(error)));
  });

  it.each(
    [discordPlatform, telegramPlatform, twitterPlatform].map(
      p => [p.name, p] as const,
    ),
  )(
    '%s: a 2xx with an unreadable reply echoing the request',
    async (_name, platform) => {
      echoEverywhere(200);
      const error = await platform.publish('hello', env).catch(e => e);
      expect(error.mayHavePosted).toBe(true);
      expect(error.message).toContain('[redacted]');
      expectNoSecrets(JSON.stringify(serializeError(error)));
    },
  );

  it('LinkedIn: a 2xx post without the x-restli-id header', async () => {
    echoEverywhere(200);
    linkedInRefreshSucceeds();
    const error = await linkedInPlatform.publish('hello', env).catch(e => e);
    expect(error.mayHavePosted).toBe(true);
    expect(error.message).toContain('no x-restli-id header');
    expectNoSecrets(JSON.stringify(serializeError(error)));
  });

  it.each(platforms.map(p => [p.name, p] as const))(
    '%s: failing health check echoing the request',
    async (_name, platform) => {
      echoEverywhere(403);
      linkedInRefreshEchoes(401);
      const health = await platform.checkHealth(env);
      expect(health.ok).toBe(false);
      expect(health.message).toContain('[redacted]');
      expectNoSecrets(health.message);
    },
  );

  it.each(platforms.map(p => [p.name, p] as const))(
    '%s: a network failure whose error repeats the URL',
    async (_name, platform) => {
      const failingFetch: FetchFn = async input => {
        throw new TypeError(`fetch failed: ${String(input)}`);
      };
      const error = await platform
        .publish('hello', env, failingFetch)
        .catch(e => e);
      expect(error.message).toMatch(new RegExp(`^${platform.name}: could not`));
      expectNoSecrets(JSON.stringify(serializeError(error)));
      const health = await platform.checkHealth(env, failingFetch);
      expect(health.ok).toBe(false);
      expectNoSecrets(health.message);
    },
  );
});
