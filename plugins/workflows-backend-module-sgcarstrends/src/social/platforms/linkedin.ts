import { z } from 'zod';
import type { FetchFn, PlatformEnv, SocialPlatform } from '../SocialPlatform';
import { mapTextOutsideUrls } from '../urlSegments';
import { readRequiredEnv } from './envVars';
import { definePlatform } from './definePlatform';
import { runHealthCheck } from './healthCheck';
import { requestJson, sendPlatformRequest } from './platformRequest';
import { SocialPlatformError } from './SocialPlatformError';

const PLATFORM_NAME = 'LinkedIn';
const REQUIRED_ENV = [
  'LINKEDIN_CLIENT_ID',
  'LINKEDIN_CLIENT_SECRET',
  'LINKEDIN_REFRESH_TOKEN',
  'LINKEDIN_ORGANISATION_ID',
] as const;

export const LINKEDIN_TOKEN_URL =
  'https://www.linkedin.com/oauth/v2/accessToken';
export const LINKEDIN_POSTS_URL = 'https://api.linkedin.com/rest/posts';
/**
 * The versioned API this client is written against (YYYYMM). LinkedIn sunsets
 * each version after about a year; LINKEDIN_API_VERSION overrides it without
 * a release.
 */
export const LINKEDIN_API_VERSION = '202605';
/** Warn operators this long before the refresh token stops working. */
const REFRESH_TOKEN_WARNING_DAYS = 30;

const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token_expires_in: z.number().optional(),
});
const oauthErrorSchema = z.object({ error: z.string() });

/**
 * Post text uses LinkedIn's "little" format: these characters are markup and
 * an unescaped one silently cuts the post short (e.g. at "(2nd Bidding)").
 * URLs are left as they are so LinkedIn still links them.
 */
export function escapeLinkedInLittleText(text: string): string {
  return mapTextOutsideUrls(text, plain =>
    plain.replace(/[\\|{}@[\]()<>#*_~]/g, character => `\\${character}`),
  );
}

interface LinkedInCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

interface AccessToken {
  accessToken: string;
  refreshTokenExpiresInSeconds?: number;
}

/**
 * Exchanges the long-lived refresh token for a fresh access token (they last
 * about two months, so a stored one would eventually expire mid-run).
 */
async function refreshAccessToken(
  credentials: LinkedInCredentials,
  fetchImpl: FetchFn | undefined,
): Promise<AccessToken> {
  const token = await requestJson(
    {
      platformName: PLATFORM_NAME,
      action: 'refresh the access token',
      url: LINKEDIN_TOKEN_URL,
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: credentials.refreshToken,
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
        }).toString(),
      },
      secrets: [credentials.clientSecret, credentials.refreshToken],
      fetchImpl,
      explainRefusal: explainRefreshRefusal,
    },
    tokenSchema,
    { accepted: false },
  );
  return {
    accessToken: token.access_token,
    refreshTokenExpiresInSeconds: token.refresh_token_expires_in,
  };
}

/**
 * `invalid_grant` means the refresh token itself expired (after a year) or was
 * revoked: no retry can fix that, a person has to authorise the app again.
 */
function explainRefreshRefusal(
  _status: number,
  body: string,
): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const oauthError = oauthErrorSchema.safeParse(parsed);
  if (!oauthError.success || oauthError.data.error !== 'invalid_grant') {
    return undefined;
  }
  return (
    'LinkedIn refresh token expired or was revoked: the refresh token must be renewed. ' +
    'Authorise the app again and update LINKEDIN_REFRESH_TOKEN'
  );
}

function readCredentials(env: PlatformEnv) {
  const values = readRequiredEnv(PLATFORM_NAME, REQUIRED_ENV, env);
  return {
    clientId: values.LINKEDIN_CLIENT_ID,
    clientSecret: values.LINKEDIN_CLIENT_SECRET,
    refreshToken: values.LINKEDIN_REFRESH_TOKEN,
    organisationId: values.LINKEDIN_ORGANISATION_ID,
    apiVersion: env.LINKEDIN_API_VERSION?.trim() || LINKEDIN_API_VERSION,
  };
}

export const linkedInPlatform: SocialPlatform = definePlatform({
  id: 'linkedin',
  name: PLATFORM_NAME,
  requiredEnv: REQUIRED_ENV,

  async publish(text, env, fetchImpl) {
    const credentials = readCredentials(env);
    const { accessToken } = await refreshAccessToken(credentials, fetchImpl);
    const secrets = [
      credentials.clientSecret,
      credentials.refreshToken,
      accessToken,
    ];
    const action = 'create the organisation post';
    const reply = await sendPlatformRequest({
      platformName: PLATFORM_NAME,
      action,
      url: LINKEDIN_POSTS_URL,
      init: {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${accessToken}`,
          'Content-Type': 'application/json',
          'LinkedIn-Version': credentials.apiVersion,
          'X-Restli-Protocol-Version': '2.0.0',
        },
        body: JSON.stringify({
          author: `urn:li:organization:${credentials.organisationId}`,
          commentary: escapeLinkedInLittleText(text),
          visibility: 'PUBLIC',
          distribution: {
            feedDistribution: 'MAIN_FEED',
            targetEntities: [],
            thirdPartyDistributionChannels: [],
          },
          lifecycleState: 'PUBLISHED',
          isReshareDisabledByAuthor: false,
        }),
      },
      secrets,
      fetchImpl,
    });
    // LinkedIn answers 201 with an empty body; the new post's URN is a header.
    const postUrn = reply.response.headers.get('x-restli-id');
    if (!postUrn) {
      throw new SocialPlatformError(
        `LinkedIn answered the request to ${action} with HTTP ${reply.response.status} but no x-restli-id header`,
        {
          platform: PLATFORM_NAME,
          status: reply.response.status,
          mayHavePosted: true,
        },
      );
    }
    return {
      postId: postUrn,
      url: `https://www.linkedin.com/feed/update/${postUrn}/`,
    };
  },

  checkHealth(env, fetchImpl) {
    return runHealthCheck({
      requiredEnv: REQUIRED_ENV,
      env,
      secrets: () => [
        env.LINKEDIN_CLIENT_SECRET?.trim(),
        env.LINKEDIN_REFRESH_TOKEN?.trim(),
      ],
      check: async () => {
        const token = await refreshAccessToken(readCredentials(env), fetchImpl);
        const seconds = token.refreshTokenExpiresInSeconds;
        if (seconds === undefined) {
          return 'Access token refreshed';
        }
        const days = Math.floor(seconds / 86_400);
        return days <= REFRESH_TOKEN_WARNING_DAYS
          ? `Access token refreshed; the refresh token expires in ${days} days, renew it soon`
          : `Access token refreshed; the refresh token expires in ${days} days`;
      },
    });
  },
});
