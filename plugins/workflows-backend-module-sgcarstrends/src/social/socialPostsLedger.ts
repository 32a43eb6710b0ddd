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
 * recording the outcome); posted: done, with the post id; unconfirmed: the
 * platform accepted the request but returned no post id; dry-run: a rehearsal
 * that a real post replaces.
 */
export type LedgerStatus = 'pending' | 'posted' | 'unconfirmed' | 'dry-run';

export interface LedgerEntry extends LedgerKey {
  status: LedgerStatus;
  attemptId: string;
  postId?: string;
  postUrl?: string;
  messageText: string;
  dryRun: boolean;
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

/** Records the outcome; an upsert, so the post id is kept even if the claim row went missing. */
export async function recordOutcome(
  knex: Knex,
  key: LedgerKey,
  outcome: {
    status: 'posted' | 'unconfirmed';
    attemptId: string;
    messageText: string;
    postId?: string;
    postUrl?: string;
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
      'updated_at',
    ]);
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
