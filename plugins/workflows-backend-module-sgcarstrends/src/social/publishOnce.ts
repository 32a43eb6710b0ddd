import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DatasetId } from '../types';
import { assertPeriodKey } from './periodKeys';
import { publishClaimed } from './publishClaimed';
import { PublishInProgressError } from './PublishInProgressError';
import type { FetchFn, PlatformEnv, SocialPlatform } from './SocialPlatform';
import {
  claimForPosting,
  LedgerEntry,
  LedgerKey,
  markStaleClaimsUncertain,
  readLedgerEntry,
  recordDryRun,
  releaseClaim,
} from './socialPostsLedger';

/**
 * How long a pending claim is taken to mean "another attempt is publishing
 * right now". Well above the client timeouts (30 s per request; LinkedIn may
 * make four: refresh, post, and after an unknown outcome refresh and look);
 * an older pending row is an attempt that stopped mid-publish.
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
  | 'uncertain'
  | 'dry-run'
  | 'not-configured';

export interface PublishOnceResult {
  status: PublishOnceStatus;
  postId?: string;
  url?: string;
  /**
   * Why nothing was sent, or why the outcome is uncertain, for operators;
   * names env vars, never values.
   */
  reason?: string;
}

/**
 * Posts `text` to one platform at most once per (platform, dataset, period).
 *
 * Ledger protocol (table sgcarstrends_social_posts, unique on the key):
 * 1. A posted row ends here: 'already-posted', no call. An uncertain row
 *    ends here too: 'uncertain', no call, until an operator resolves it.
 * 2. A pending row younger than the lease means a concurrent attempt:
 *    PublishInProgressError, so the step retries and finds the outcome. An
 *    older one is an attempt that stopped mid-publish: it becomes uncertain.
 * 3. Dry run: the message is stored with status dry-run, configured or not;
 *    a real post later takes over that same row, so a rehearsal never blocks
 *    the real thing.
 * 4. Missing env vars: 'not-configured', nothing written.
 * 5. Otherwise claim the row as pending, publish, then record the outcome
 *    (see publishClaimed). A publish that certainly posted nothing (a refusal,
 *    DNS failure, refused connection, failed token refresh) deletes the claim
 *    and re-throws, so the retried step posts. One that may have reached the
 *    platform (timeout, reset after sending, unreadable 2xx) is looked up
 *    where the platform allows it, else recorded as uncertain and returned,
 *    not thrown: the run goes on with the other platforms, and this one is
 *    never posted twice.
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

  const settled = await settledResult(
    knex,
    platform,
    await readLedgerEntry(knex, key),
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
    const claimedMeanwhile = await settledResult(knex, platform, entry);
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
    const settledByOther = await settledResult(knex, platform, claim);
    if (settledByOther) {
      return settledByOther;
    }
    throw inProgressError(platform, key, claim);
  }

  const outcome = await publishClaimed(knex, {
    platform,
    key,
    attemptId,
    text,
    env,
    fetch: request.fetch,
  });
  if (outcome.kind === 'posted') {
    return {
      status: 'posted',
      postId: outcome.postId,
      url: outcome.url,
      reason: outcome.reason,
    };
  }
  if (outcome.kind === 'uncertain') {
    return { status: 'uncertain', reason: outcome.reason };
  }
  try {
    await releaseClaim(knex, key, attemptId);
  } catch {
    // The pending row then ages into "uncertain": no duplicate post.
  }
  throw outcome.error;
}

/**
 * The result for a row that decides the outcome without posting, undefined
 * when posting may go ahead (no row, or a dry run). Throws for a live claim;
 * turns a claim older than the lease into an uncertain post.
 */
async function settledResult(
  knex: Knex,
  platform: SocialPlatform,
  entry: LedgerEntry | undefined,
): Promise<PublishOnceResult | undefined> {
  if (!entry || entry.status === 'dry-run') {
    return undefined;
  }
  switch (entry.status) {
    case 'posted':
      return {
        status: 'already-posted',
        postId: entry.postId,
        url: entry.postUrl,
        reason: `Already posted to ${
          platform.name
        } at ${entry.updatedAt.toISOString()}`,
      };
    case 'uncertain':
      return { status: 'uncertain', reason: uncertainReason(platform, entry) };
    case 'pending': {
      const claimedBefore = new Date(Date.now() - PENDING_CLAIM_LEASE_MS);
      if (entry.updatedAt.getTime() >= claimedBefore.getTime()) {
        throw inProgressError(platform, entry, entry);
      }
      await markStaleClaimsUncertain(knex, claimedBefore, {
        platform: entry.platform,
        dataset: entry.dataset,
        period: entry.period,
      });
      const current = await readLedgerEntry(knex, entry);
      if (current?.status === 'pending') {
        // Claimed again since the read: that attempt is live.
        throw inProgressError(platform, current, current);
      }
      return settledResult(knex, platform, current);
    }
    default:
      throw new Error(`Unknown social post ledger status "${entry.status}"`);
  }
}

function uncertainReason(platform: SocialPlatform, entry: LedgerEntry) {
  const why =
    entry.reason ?? `Whether ${platform.name} took the post is unknown`;
  return (
    `Uncertain since ${entry.updatedAt.toISOString()}: ${why}. ` +
    `Not posting again until an operator marks it as posted or posts it again`
  );
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
