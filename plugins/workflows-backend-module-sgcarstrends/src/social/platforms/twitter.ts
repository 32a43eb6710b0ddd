import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { z } from 'zod';
import type { PlatformEnv, SocialPlatform } from '../SocialPlatform';
import { readRequiredEnv } from './envVars';
import { definePlatform } from './definePlatform';
import { runHealthCheck } from './healthCheck';
import { requestJson } from './platformRequest';

const PLATFORM_NAME = 'Twitter';
const REQUIRED_ENV = [
  'TWITTER_APP_KEY',
  'TWITTER_APP_SECRET',
  'TWITTER_ACCESS_TOKEN',
  'TWITTER_ACCESS_SECRET',
] as const;

export const TWEETS_URL = 'https://api.twitter.com/2/tweets';
export const TWITTER_ME_URL = 'https://api.twitter.com/2/users/me';

const createdTweetSchema = z.object({
  data: z.object({ id: z.string().min(1) }),
});
const meSchema = z.object({
  data: z.object({ username: z.string().optional() }),
});

type TwitterCredentials = Record<(typeof REQUIRED_ENV)[number], string>;

/** All four values are credentials; none may appear in an error. */
function credentialSecrets(env: PlatformEnv): Array<string | undefined> {
  return REQUIRED_ENV.map(name => env[name]?.trim());
}

/**
 * OAuth 1.0a user-context header. A JSON body is not part of the signature
 * base string (only form bodies are), so only method, URL and query count.
 */
function oauthHeader(
  credentials: TwitterCredentials,
  method: 'GET' | 'POST',
  url: string,
): string {
  const oauth = new OAuth({
    consumer: {
      key: credentials.TWITTER_APP_KEY,
      secret: credentials.TWITTER_APP_SECRET,
    },
    signature_method: 'HMAC-SHA1',
    hash_function: (baseString, key) =>
      createHmac('sha1', key).update(baseString).digest('base64'),
  });
  const authorization = oauth.authorize(
    { url, method },
    {
      key: credentials.TWITTER_ACCESS_TOKEN,
      secret: credentials.TWITTER_ACCESS_SECRET,
    },
  );
  return oauth.toHeader(authorization).Authorization;
}

export const twitterPlatform: SocialPlatform = definePlatform({
  id: 'twitter',
  name: PLATFORM_NAME,
  requiredEnv: REQUIRED_ENV,

  async publish(text, env, fetchImpl) {
    const credentials = readRequiredEnv(PLATFORM_NAME, REQUIRED_ENV, env);
    const tweet = await requestJson(
      {
        platformName: PLATFORM_NAME,
        action: 'post the tweet',
        url: TWEETS_URL,
        init: {
          method: 'POST',
          headers: {
            Authorization: oauthHeader(credentials, 'POST', TWEETS_URL),
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ text }),
        },
        secrets: credentialSecrets(env),
        fetchImpl,
      },
      createdTweetSchema,
      { accepted: true },
    );
    return {
      postId: tweet.data.id,
      url: `https://x.com/i/web/status/${tweet.data.id}`,
    };
  },

  checkHealth(env, fetchImpl) {
    return runHealthCheck({
      requiredEnv: REQUIRED_ENV,
      env,
      secrets: () => credentialSecrets(env),
      check: async secrets => {
        const credentials = readRequiredEnv(PLATFORM_NAME, REQUIRED_ENV, env);
        const me = await requestJson(
          {
            platformName: PLATFORM_NAME,
            action: 'identify the account',
            url: TWITTER_ME_URL,
            init: {
              method: 'GET',
              headers: {
                Authorization: oauthHeader(credentials, 'GET', TWITTER_ME_URL),
              },
            },
            secrets,
            fetchImpl,
          },
          meSchema,
          { accepted: false },
        );
        return me.data.username
          ? `Authenticated as @${me.data.username}`
          : 'Credentials are valid';
      },
    });
  },
});
