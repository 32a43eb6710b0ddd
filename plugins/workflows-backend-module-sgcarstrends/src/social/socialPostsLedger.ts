import type { Knex } from 'knex';
import type { DatasetId, PlatformId } from '../types';

export const SOCIAL_POSTS_TABLE = 'sgcarstrends_social_posts';

/** The unique key: one post per platform, dataset and period. */
export interface LedgerKey {
  platform: PlatformId;
  dataset: DatasetId;
  period: string;
}

/**
 * pending: an attempt claimed the slot and is publishing (or stopped before
 * recording the outcome); posted: done, with the post id when known;
 * uncertain: the platform may or may not have taken the post (no reply, an
 * unreadable 2xx, an attempt that stopped mid-publish), so nothing is posted
 * until an operator resolves it; dry-run: a rehearsal that a real post replaces.
 */
export type LedgerStatus = 'pending' | 'posted' | 'uncertain' | 'dry-run';

/** How an uncertain post was settled. */
export type LedgerResolution =
  | 'marked-posted'
  | 'posted-again'
  | 'found-on-platform';

export interface LedgerEntry extends LedgerKey {
  status: LedgerStatus;
  attemptId: string;
  postId?: string;
  postUrl?: string;
  messageText: string;
  dryRun: boolean;
  /** Why the outcome is uncertain (or how it was settled); secret-free. */
  reason?: string;
  resolution?: LedgerResolution;
  /** Who resolved it: a user entity ref or a service subject. */
  resolvedBy?: string;
  resolvedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

interface LedgerRow {
  platform: string;
  dataset: string;
  period: string;
  status: string;
  attempt_id: string;
  post_id: string | null;
  post_url: string | null;
  message_text: string;
  dry_run: boolean | number;
  outcome_reason: string | null;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: Date | string | number | null;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

const KEY_COLUMNS = ['platform', 'dataset', 'period'];

/** PostgreSQL returns Date objects, SQLite the stored epoch milliseconds or text. */
function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

function toEntry(row: LedgerRow): LedgerEntry {
  return {
    platform: row.platform as PlatformId,
    dataset: row.dataset as DatasetId,
    period: row.period,
    status: row.status as LedgerStatus,
    attemptId: row.attempt_id,
    postId: row.post_id ?? undefined,
    postUrl: row.post_url ?? undefined,
    messageText: row.message_text,
    dryRun: Boolean(row.dry_run),
    reason: row.outcome_reason ?? undefined,
    resolution: (row.resolution as LedgerResolution | null) ?? undefined,
    resolvedBy: row.resolved_by ?? undefined,
    resolvedAt: row.resolved_at === null ? undefined : toDate(row.resolved_at),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function whereKey(key: LedgerKey) {
  return {
    platform: key.platform,
    dataset: key.dataset,
    period: key.period,
  };
}

export async function readLedgerEntry(
  knex: Knex,
  key: LedgerKey,
): Promise<LedgerEntry | undefined> {
  const row: LedgerRow | undefined = await knex<LedgerRow>(SOCIAL_POSTS_TABLE)
    .where(whereKey(key))
    .first();
  return row ? toEntry(row) : undefined;
}

/**
 * Claims the slot for a real post: inserts a pending row, or turns a dry-run
 * row into one. The unique key makes this race-free: the returned entry
 * belongs to this attempt only if its attempt id is ours.
 */
export async function claimForPosting(
  knex: Knex,
  key: LedgerKey,
  attemptId: string,
  messageText: string,
): Promise<LedgerEntry> {
  const now = new Date();
  await knex(SOCIAL_POSTS_TABLE)
    .insert({
      ...whereKey(key),
      status: 'pending',
      attempt_id: attemptId,
      message_text: messageText,
      dry_run: false,
      created_at: now,
      updated_at: now,
    })
    .onConflict(KEY_COLUMNS)
    .ignore();
  await knex(SOCIAL_POSTS_TABLE)
    .where({ ...whereKey(key), status: 'dry-run' })
    .update({
      status: 'pending',
      attempt_id: attemptId,
      message_text: messageText,
      dry_run: false,
      updated_at: now,
    });
  const entry = await readLedgerEntry(knex, key);
  if (!entry) {
    throw new Error(
      `The social post ledger lost the row for ${key.platform} ${key.dataset} ${key.period} while claiming it`,
    );
  }
  return entry;
}

/** Gives a claimed slot back after a publish that certainly did not post. */
export async function releaseClaim(
  knex: Knex,
  key: LedgerKey,
  attemptId: string,
): Promise<void> {
  await knex(SOCIAL_POSTS_TABLE)
    .where({ ...whereKey(key), attempt_id: attemptId, status: 'pending' })
    .delete();
}

/** What an operator's resolution records besides the outcome. */
export interface LedgerResolutionRecord {
  resolution: LedgerResolution;
  resolvedBy: string;
}

/**
 * Records the outcome of this attempt; an upsert, so the post id is kept even
 * if the claim row went missing.
 */
export async function recordOutcome(
  knex: Knex,
  key: LedgerKey,
  outcome: {
    status: 'posted' | 'uncertain';
    attemptId: string;
    messageText: string;
    postId?: string;
    postUrl?: string;
    reason?: string;
    resolved?: LedgerResolutionRecord;
  },
): Promise<void> {
  const now = new Date();
  await knex(SOCIAL_POSTS_TABLE)
    .insert({
      ...whereKey(key),
      status: outcome.status,
      attempt_id: outcome.attemptId,
      post_id: outcome.postId ?? null,
      post_url: outcome.postUrl ?? null,
      message_text: outcome.messageText,
      dry_run: false,
      outcome_reason: outcome.reason ?? null,
      resolution: outcome.resolved?.resolution ?? null,
      resolved_by: outcome.resolved?.resolvedBy ?? null,
      resolved_at: outcome.resolved ? now : null,
      created_at: now,
      updated_at: now,
    })
    .onConflict(KEY_COLUMNS)
    .merge([
      'status',
      'attempt_id',
      'post_id',
      'post_url',
      'message_text',
      'dry_run',
      'outcome_reason',
      'resolution',
      'resolved_by',
      'resolved_at',
      'updated_at',
    ]);
}

/**
 * Turns pending claims older than `claimedBefore` into uncertain posts: their
 * attempt stopped without recording whether the platform took the post.
 * Each row is updated only if it is still the same claim.
 */
export async function markStaleClaimsUncertain(
  knex: Knex,
  claimedBefore: Date,
  filter: Partial<LedgerKey> = {},
): Promise<number> {
  const stale: LedgerRow[] = await knex<LedgerRow>(SOCIAL_POSTS_TABLE)
    .where({ ...filter, status: 'pending' })
    .andWhere('updated_at', '<', claimedBefore)
    .select('*');
  let changed = 0;
  for (const row of stale) {
    const entry = toEntry(row);
    changed += await knex(SOCIAL_POSTS_TABLE)
      .where({
        ...whereKey(entry),
        status: 'pending',
        attempt_id: entry.attemptId,
      })
      .update({
        status: 'uncertain',
        outcome_reason:
          `An attempt that started at ${entry.updatedAt.toISOString()} stopped ` +
          'before recording whether the platform took the post',
        updated_at: new Date(),
      });
  }
  return changed;
}

/**
 * Takes an uncertain post for one more try: it becomes this attempt's
 * pending claim, but only if it is still the uncertain row that was read
 * (same attempt id). True when this attempt now owns it.
 */
export async function claimUncertain(
  knex: Knex,
  key: LedgerKey,
  expectedAttemptId: string,
  attemptId: string,
): Promise<boolean> {
  const updated = await knex(SOCIAL_POSTS_TABLE)
    .where({
      ...whereKey(key),
      status: 'uncertain',
      attempt_id: expectedAttemptId,
    })
    .update({
      status: 'pending',
      attempt_id: attemptId,
      updated_at: new Date(),
    });
  return updated === 1;
}

/** Puts this attempt's claim back to uncertain, with the new reason. */
export async function returnClaimToUncertain(
  knex: Knex,
  key: LedgerKey,
  attemptId: string,
  reason: string,
): Promise<void> {
  await knex(SOCIAL_POSTS_TABLE)
    .where({ ...whereKey(key), status: 'pending', attempt_id: attemptId })
    .update({
      status: 'uncertain',
      outcome_reason: reason,
      updated_at: new Date(),
    });
}

/**
 * Records an uncertain post as posted on an operator's word; only if it is
 * still the uncertain row that was read. True when it was changed.
 */
export async function resolveUncertainAsPosted(
  knex: Knex,
  key: LedgerKey,
  expectedAttemptId: string,
  resolution: LedgerResolutionRecord & {
    postId?: string;
    postUrl?: string;
    reason: string;
  },
): Promise<boolean> {
  const now = new Date();
  const updated = await knex(SOCIAL_POSTS_TABLE)
    .where({
      ...whereKey(key),
      status: 'uncertain',
      attempt_id: expectedAttemptId,
    })
    .update({
      status: 'posted',
      post_id: resolution.postId ?? null,
      post_url: resolution.postUrl ?? null,
      outcome_reason: resolution.reason,
      resolution: resolution.resolution,
      resolved_by: resolution.resolvedBy,
      resolved_at: now,
      updated_at: now,
    });
  return updated === 1;
}

export interface LedgerListFilter {
  status?: LedgerStatus;
  platform?: PlatformId;
  /** Only these datasets (the ones the caller may see); never empty. */
  datasets: readonly DatasetId[];
  limit: number;
}

/** Entries matching the filter, most recently changed first. */
export async function listLedgerEntries(
  knex: Knex,
  filter: LedgerListFilter,
): Promise<LedgerEntry[]> {
  if (filter.datasets.length === 0) {
    return [];
  }
  const query = knex<LedgerRow>(SOCIAL_POSTS_TABLE)
    .whereIn('dataset', [...filter.datasets])
    .orderBy([
      { column: 'updated_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(filter.limit);
  if (filter.status) {
    query.andWhere('status', filter.status);
  }
  if (filter.platform) {
    query.andWhere('platform', filter.platform);
  }
  const rows: LedgerRow[] = await query.select('*');
  return rows.map(toEntry);
}

/**
 * Records a rehearsal. Only an empty slot or an earlier rehearsal is
 * overwritten; a real post or claim is never touched.
 */
export async function recordDryRun(
  knex: Knex,
  key: LedgerKey,
  attemptId: string,
  messageText: string,
): Promise<LedgerEntry | undefined> {
  const now = new Date();
  await knex(SOCIAL_POSTS_TABLE)
    .insert({
      ...whereKey(key),
      status: 'dry-run',
      attempt_id: attemptId,
      message_text: messageText,
      dry_run: true,
      created_at: now,
      updated_at: now,
    })
    .onConflict(KEY_COLUMNS)
    .merge(['attempt_id', 'message_text', 'updated_at'])
    .where(`${SOCIAL_POSTS_TABLE}.status`, 'dry-run');
  return readLedgerEntry(knex, key);
}
