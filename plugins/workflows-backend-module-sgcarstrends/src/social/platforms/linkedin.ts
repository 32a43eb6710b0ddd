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

/*
 * When a post's outcome is unknown (timeout, connection reset after sending,
 * 2xx without the x-restli-id header), LinkedIn can be asked: the Posts API's
 * "Find Posts by Authors" finder (GET /rest/posts?author=<urn>&q=author,
 * header X-RestLi-Method: FINDER) lists the organisation's posts with their
 * commentary and createdAt. It needs the r_organization_social scope on top of
 * w_organization_social; without it the lookup is refused and the post stays
 * uncertain. The create call itself has no idempotency key.
 * Source: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
 */

const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token_expires_in: z.number().optional(),
});
const oauthErrorSchema = z.object({ error: z.string() });
const postsByAuthorSchema = z.object({
  elements: z.array(
    z.object({
      id: z.string().min(1),
      commentary: z.string().optional(),
      createdAt: z.number().optional(),
    }),
  ),
});

/** How many of the organisation's newest posts a lookup reads. */
const LOOKUP_POST_COUNT = 20;
/** Allowance for the difference between this machine's clock and LinkedIn's. */
const LOOKUP_CLOCK_SKEW_MS = 5 * 60_000;

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
      // The refresh only fetches a token: whatever happens to it, nothing was posted.
      createsPost: false,
      explainRefusal: explainRefreshRefusal,
    },
    tokenSchema,
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

function restHeaders(accessToken: string, apiVersion: string) {
  return {
    Authorization: `Bearer ${accessToken}`,
    'LinkedIn-Version': apiVersion,
    'X-Restli-Protocol-Version': '2.0.0',
  };
}

function organisationUrn(organisationId: string): string {
  return `urn:li:organization:${organisationId}`;
}

function postUrl(postUrn: string): string {
  return `https://www.linkedin.com/feed/update/${postUrn}/`;
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
          ...restHeaders(accessToken, credentials.apiVersion),
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          author: organisationUrn(credentials.organisationId),
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
      createsPost: true,
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
    return { postId: postUrn, url: postUrl(postUrn) };
  },

  async findPost(text, env, since, fetchImpl) {
    const credentials = readCredentials(env);
    const { accessToken } = await refreshAccessToken(credentials, fetchImpl);
    const query = new URLSearchParams({
      author: organisationUrn(credentials.organisationId),
      q: 'author',
      count: String(LOOKUP_POST_COUNT),
      sortBy: 'CREATED',
    });
    const posts = await requestJson(
      {
        platformName: PLATFORM_NAME,
        action: 'list the organisation posts',
        url: `${LINKEDIN_POSTS_URL}?${query.toString()}`,
        init: {
          method: 'GET',
          headers: {
            ...restHeaders(accessToken, credentials.apiVersion),
            'X-RestLi-Method': 'FINDER',
          },
        },
        secrets: [
          credentials.clientSecret,
          credentials.refreshToken,
          accessToken,
        ],
        fetchImpl,
        createsPost: false,
      },
      postsByAuthorSchema,
    );
    // LinkedIn returns the commentary as stored: in little-text form, escaped.
    const commentary = escapeLinkedInLittleText(text);
    const earliest = since.getTime() - LOOKUP_CLOCK_SKEW_MS;
    const match = posts.elements.find(
      post =>
        (post.commentary === commentary || post.commentary === text) &&
        (post.createdAt === undefined || post.createdAt >= earliest),
    );
    return match ? { postId: match.id, url: postUrl(match.id) } : undefined;
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
          ? {
              message: `Access token refreshed; the refresh token expires in ${days} days, renew it soon`,
              attention: true,
            }
          : `Access token refreshed; the refresh token expires in ${days} days`;
      },
    });
  },
});
