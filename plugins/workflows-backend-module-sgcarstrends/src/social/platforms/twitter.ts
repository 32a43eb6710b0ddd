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

/*
 * POST /2/tweets takes no idempotency key, and the user Post timeline
 * (GET /2/users/:id/tweets) that could show whether a tweet went through
 * returns links rewritten to t.co and is limited by the API access tier, so a
 * tweet whose outcome is unknown is marked uncertain rather than looked up.
 * X does refuse a tweet whose text repeats a recent one of the same account
 * with 403 "You are not allowed to create a Tweet with duplicate content"
 * (seen in e.g. https://github.com/akrherz/iembot/issues/163), so "post
 * again" after a tweet that did go through is refused, not duplicated.
 * Sources: https://docs.x.com/x-api/posts/creation-of-a-post (no such key in
 * the request body) and
 * https://developer.x.com/en/docs/x-api/tweets/timelines/migrate/standard-to-twitter-api-v2
 */

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

/** X's refusal of a repeated text: the earlier tweet of this text exists. */
function explainDuplicateRefusal(
  status: number,
  body: string,
): string | undefined {
  return status === 403 && /duplicate content/i.test(body)
    ? 'A tweet with exactly this text already exists on the account, so an earlier attempt went through; mark the post as posted'
    : undefined;
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
        createsPost: true,
        explainRefusal: explainDuplicateRefusal,
      },
      createdTweetSchema,
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
            createsPost: false,
          },
          meSchema,
        );
        return me.data.username
          ? `Authenticated as @${me.data.username}`
          : 'Credentials are valid';
      },
    });
  },
});
