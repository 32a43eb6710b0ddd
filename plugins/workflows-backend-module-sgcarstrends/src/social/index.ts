import { discordPlatform } from './platforms/discord';
import { linkedInPlatform } from './platforms/linkedin';
import { telegramPlatform } from './platforms/telegram';
import { twitterPlatform } from './platforms/twitter';
import type { SocialPlatform } from './SocialPlatform';

/** Every platform, in the order the workflows publish to them. */
export const socialPlatforms: readonly SocialPlatform[] = [
  discordPlatform,
  telegramPlatform,
  linkedInPlatform,
  twitterPlatform,
];

export type {
  FetchFn,
  HealthResult,
  PlatformEnv,
  PublishResult,
  SocialPlatform,
} from './SocialPlatform';
export { formatCarsMessage, formatCoeMessage } from './messages';
export type { MessageOptions } from './messages';
export { tweetWeight, TWEET_MAX_WEIGHT, TWEET_URL_WEIGHT } from './tweetLength';
export { carsPeriodKey, coePeriodKey } from './periodKeys';
export { publishOnce, PENDING_CLAIM_LEASE_MS } from './publishOnce';
export type {
  PublishOnceRequest,
  PublishOnceResult,
  PublishOnceStatus,
} from './publishOnce';
export { PublishInProgressError } from './PublishInProgressError';
export { postAgain } from './postAgain';
export {
  listLedgerEntries,
  markStaleClaimsUncertain,
  readLedgerEntry,
  resolveUncertainAsPosted,
  SOCIAL_POSTS_TABLE,
} from './socialPostsLedger';
export type {
  LedgerEntry,
  LedgerKey,
  LedgerListFilter,
} from './socialPostsLedger';
export { discordPlatform, telegramPlatform, linkedInPlatform, twitterPlatform };
export { SocialPlatformError } from './platforms/SocialPlatformError';
export { LINKEDIN_API_VERSION } from './platforms/linkedin';
