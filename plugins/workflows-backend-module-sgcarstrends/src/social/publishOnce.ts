import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DatasetId } from '../types';
import { assertPeriodKey } from './periodKeys';
import { SocialPlatformError } from './platforms/SocialPlatformError';
import { PublishInProgressError } from './PublishInProgressError';
import type {
  FetchFn,
  PlatformEnv,
  PublishResult,
  SocialPlatform,
} from './SocialPlatform';
import {
  claimForPosting,
  LedgerEntry,
  LedgerKey,
  readLedgerEntry,
  recordDryRun,
  recordOutcome,
  releaseClaim,
} from './socialPostsLedger';

/**
 * How long a pending claim is taken to mean "another attempt is publishing
 * right now". Well above the client timeouts (30 s per request, two requests
 * for LinkedIn); an older pending row is an attempt that stopped mid-publish.
 */
export const PENDING_CLAIM_LEASE_MS = 5 * 60_000;

export interface PublishOnceRequest {
  platform: SocialPlatform;
  dataset: DatasetId;
  /** '2024-05' for cars, '2024-05#2' for a COE exercise (see periodKeys). */
  period: string;
  text: string;
  dryRun: boolean;
  env: PlatformEnv;
  fetch?: FetchFn;
}

export type PublishOnceStatus =
  | 'posted'
  | 'already-posted'
  | 'dry-run'
  | 'not-configured';

export interface PublishOnceResult {
  status: PublishOnceStatus;
  postId?: string;
  url?: string;
  /** Why nothing was sent, for operators; names env vars, never values. */
  reason?: string;
}

/**
 * Posts `text` to one platform at most once per (platform, dataset, period).
 *
 * Ledger protocol (table sgcarstrends_social_posts, unique on the key):
 * 1. A row that is posted or unconfirmed ends here: 'already-posted', no call.
 * 2. A pending row younger than the lease means a concurrent attempt:
 *    PublishInProgressError, so the step retries and finds the outcome.
 * 3. Dry run: the message is stored with status dry-run, configured or not;
 *    a real post later takes over that same row, so a rehearsal never blocks
 *    the real thing.
 * 4. Missing env vars: 'not-configured', nothing written.
 * 5. Otherwise claim the row as pending, publish, then record posted + id.
 *    A refused publish (non-2xx) or one that got no reply deletes the claim
 *    and re-throws, so the retry posts. (A timeout after the platform took
 *    the request could, rarely, still duplicate; ordinary network failures
 *    must stay retryable.) A 2xx whose reply cannot be read is kept as
 *    unconfirmed and never repeated.
 *
 * Crash window: if the process dies between the platform's 2xx and the
 * ledger write, the pending row stays. After the lease it is treated as
 * posted-with-unknown-id ('already-posted' with a reason saying so): we prefer
 * a possibly missing post, which an operator can redo by deleting the row,
 * to a duplicate, which cannot be undone from here.
 */
export async function publishOnce(
  knex: Knex,
  request: PublishOnceRequest,
): Promise<PublishOnceResult> {
  const { platform, dataset, period, text, dryRun, env } = request;
  assertPeriodKey(dataset, period);
  if (text.trim().length === 0) {
    throw new Error(`Refusing to publish an empty message to ${platform.name}`);
  }
  const key: LedgerKey = { platform: platform.id, dataset, period };

  const settled = settledResult(
    platform,
    await readLedgerEntry(knex, key),
    new Date(),
  );
  if (settled) {
    return settled;
  }

  const missing = platform.missingEnv(env);
  const attemptId = randomUUID();
  if (dryRun) {
    // Nothing is sent, so a rehearsal is recorded whether or not credentials exist.
    const entry = await recordDryRun(knex, key, attemptId, text);
    // A real attempt may have claimed the slot between the read and the write.
    const claimedMeanwhile = settledResult(platform, entry, new Date());
    const unconfigured =
      missing.length > 0
        ? ` (not configured: missing ${missing.join(', ')})`
        : '';
    return (
      claimedMeanwhile ?? {
        status: 'dry-run',
        reason: `Dry run: message recorded, nothing sent to ${platform.name}${unconfigured}`,
      }
    );
  }

  if (missing.length > 0) {
    return {
      status: 'not-configured',
      reason: `${platform.name} is not configured: missing ${missing.join(
        ', ',
      )}`,
    };
  }

  const claim = await claimForPosting(knex, key, attemptId, text);
  if (claim.attemptId !== attemptId || claim.status !== 'pending') {
    const settledByOther = settledResult(platform, claim, new Date());
    if (settledByOther) {
      return settledByOther;
    }
    throw inProgressError(platform, key, claim);
  }

  let published: PublishResult;
  try {
    published = await platform.publish(text, env, request.fetch);
  } catch (error) {
    await settleFailedClaim(knex, key, attemptId, text, error);
    throw error;
  }
  await recordOutcome(knex, key, {
    status: 'posted',
    attemptId,
    messageText: text,
    postId: published.postId,
    postUrl: published.url,
  });
  return { status: 'posted', postId: published.postId, url: published.url };
}

/**
 * The result for a row that decides the outcome without posting, undefined
 * when posting may go ahead (no row, or a dry run). Throws for a live claim.
 */
function settledResult(
  platform: SocialPlatform,
  entry: LedgerEntry | undefined,
  now: Date,
): PublishOnceResult | undefined {
  if (!entry || entry.status === 'dry-run') {
    return undefined;
  }
  const at = entry.updatedAt.toISOString();
  switch (entry.status) {
    case 'posted':
      return {
        status: 'already-posted',
        postId: entry.postId,
        url: entry.postUrl,
        reason: `Already posted to ${platform.name} at ${at}`,
      };
    case 'unconfirmed':
      return {
        status: 'already-posted',
        reason:
          `${platform.name} accepted the post at ${at} but returned no post id; ` +
          'not posting again. Check the channel, and delete the ledger row to post again',
      };
    case 'pending':
      if (now.getTime() - entry.updatedAt.getTime() < PENDING_CLAIM_LEASE_MS) {
        throw inProgressError(platform, entry, entry);
      }
      return {
        status: 'already-posted',
        reason:
          `An attempt started at ${at} did not record whether ${platform.name} took the post; ` +
          'not posting again to avoid a duplicate. Check the channel, and delete the ledger row to post again',
      };
    default:
      throw new Error(`Unknown social post ledger status "${entry.status}"`);
  }
}

function inProgressError(
  platform: SocialPlatform,
  key: LedgerKey,
  entry: LedgerEntry,
): PublishInProgressError {
  return new PublishInProgressError(
    `Another attempt has been publishing ${key.dataset} ${key.period} to ${
      platform.name
    } since ${entry.updatedAt.toISOString()}; retry later`,
  );
}

/**
 * After a failed publish: keep the slot when the post may exist, free it
 * otherwise so the retried step posts. A ledger error here must not hide the
 * platform's error, which is the one the caller re-throws.
 */
async function settleFailedClaim(
  knex: Knex,
  key: LedgerKey,
  attemptId: string,
  text: string,
  error: unknown,
): Promise<void> {
  try {
    if (error instanceof SocialPlatformError && error.mayHavePosted) {
      await recordOutcome(knex, key, {
        status: 'unconfirmed',
        attemptId,
        messageText: text,
      });
    } else {
      await releaseClaim(knex, key, attemptId);
    }
  } catch {
    // The pending row then ages into "outcome unknown": no duplicate post.
  }
}
