import type {
  DlqEntryState,
  DlqSource,
} from '@internal/plugin-workflows-common';
import { Knex } from 'knex';
import { toIsoOrNull } from './timestamps';

/** A dead letter entry as the mirror keeps it. */
export interface MirroredDlqEntry {
  dlqId: string;
  source: DlqSource;
  workflowId: string | null;
  runId: string | null;
  messageId: string | null;
  url: string | null;
  createdAtMs: number;
  responseStatus: number | null;
  failedStep: string | null;
  error: string;
  /** The group of the entry's own error; a known run's group wins. */
  failureGroup: string | null;
}

export interface StoredDlqEntry extends MirroredDlqEntry {
  state: DlqEntryState;
  resolvedRunId: string | null;
}

export interface DlqSyncState {
  newestCreatedAtMs: number | null;
  lastFullListingAt: string | null;
}

/** The mirror of both dead letter queues. */
export interface DlqStore {
  /**
   * Writes entries QStash listed at `listedAtMs`. An entry listed again is
   * in the DLQ, unless the portal itself moved it out since.
   */
  upsertListed(entries: MirroredDlqEntry[], listedAtMs: number): Promise<void>;
  /** After a complete listing: entries it did not show have left the DLQ. */
  markUnlisted(source: DlqSource, listingStartedMs: number): Promise<number>;
  /** Records what an operator's action did to entries. */
  markLeft(
    changes: {
      dlqId: string;
      state: Exclude<DlqEntryState, 'in-dlq'>;
      resolvedRunId?: string | null;
    }[],
  ): Promise<void>;
  getEntries(dlqIds: string[]): Promise<Map<string, StoredDlqEntry>>;
  readSyncState(source: DlqSource): Promise<DlqSyncState>;
  writeSyncState(
    source: DlqSource,
    state: {
      newestCreatedAtMs: number | null;
      fullListing: boolean;
      error: string | null;
    },
  ): Promise<void>;
  lastSyncedAt(): Promise<string | null>;
  /** Retention: removes entries written before the cutoff; returns how many. */
  pruneCreatedBefore(cutoff: Date): Promise<number>;
}

interface DlqRow {
  dlq_id: string;
  source: DlqSource;
  workflow_id: string | null;
  run_id: string | null;
  message_id: string | null;
  url: string | null;
  created_at_ms: number | string;
  response_status: number | null;
  failed_step: string | null;
  error: string;
  failure_group: string | null;
  state: DlqEntryState;
  resolved_run_id: string | null;
}

function toEntry(row: DlqRow): StoredDlqEntry {
  return {
    dlqId: row.dlq_id,
    source: row.source,
    workflowId: row.workflow_id,
    runId: row.run_id,
    messageId: row.message_id,
    url: row.url,
    createdAtMs: Number(row.created_at_ms),
    responseStatus: row.response_status,
    failedStep: row.failed_step,
    error: row.error,
    failureGroup: row.failure_group,
    state: row.state,
    resolvedRunId: row.resolved_run_id,
  };
}

const ERROR_LIMIT = 4000;
const WRITE_BATCH = 200;

export class KnexDlqStore implements DlqStore {
  constructor(private readonly db: Knex) {}

  async upsertListed(
    entries: MirroredDlqEntry[],
    listedAtMs: number,
  ): Promise<void> {
    for (let i = 0; i < entries.length; i += WRITE_BATCH) {
      const batch = entries.slice(i, i + WRITE_BATCH);
      await this.db.transaction(async tx => {
        // An entry of a run we have is counted through the run, in its group.
        const runIds = batch.flatMap(e => (e.runId ? [e.runId] : []));
        const runs = new Map<string, string | null>();
        if (runIds.length > 0) {
          const rows = await tx('workflow_runs')
            .whereIn('run_id', runIds)
            .select('run_id', 'failure_group');
          for (const row of rows) runs.set(row.run_id, row.failure_group);
        }
        for (const entry of batch) {
          const runKnown = entry.runId ? runs.has(entry.runId) : false;
          const row = {
            dlq_id: entry.dlqId,
            source: entry.source,
            workflow_id: entry.workflowId,
            run_id: entry.runId,
            message_id: entry.messageId,
            url: entry.url,
            created_at_ms: entry.createdAtMs,
            response_status: entry.responseStatus,
            failed_step: entry.failedStep,
            error: entry.error.slice(0, ERROR_LIMIT),
            failure_group:
              (runKnown && entry.runId ? runs.get(entry.runId) : null) ??
              entry.failureGroup,
            run_known: runKnown,
            last_listed_ms: listedAtMs,
          };
          await tx('workflow_dlq_entries')
            .insert({ ...row, state: 'in-dlq' })
            .onConflict('dlq_id')
            .merge([
              'last_listed_ms',
              'run_known',
              'failure_group',
              'workflow_id',
            ]);
          // Listed again after it was taken for gone (a slow listing): back in.
          await tx('workflow_dlq_entries')
            .where({ dlq_id: entry.dlqId, state: 'gone' })
            .update({ state: 'in-dlq', left_at: null });
        }
      });
    }
  }

  async markUnlisted(
    source: DlqSource,
    listingStartedMs: number,
  ): Promise<number> {
    return this.db('workflow_dlq_entries')
      .where({ source, state: 'in-dlq' })
      .andWhere('last_listed_ms', '<', listingStartedMs)
      .update({ state: 'gone', left_at: new Date() });
  }

  async markLeft(
    changes: {
      dlqId: string;
      state: Exclude<DlqEntryState, 'in-dlq'>;
      resolvedRunId?: string | null;
    }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    await this.db.transaction(async tx => {
      const now = new Date();
      for (const change of changes) {
        await tx('workflow_dlq_entries')
          .where({ dlq_id: change.dlqId })
          .update({
            state: change.state,
            left_at: now,
            resolved_run_id: change.resolvedRunId ?? null,
          });
      }
      // The failed run is no longer in the DLQ.
      await tx('workflow_runs')
        .whereIn(
          'dlq_id',
          changes.map(c => c.dlqId),
        )
        .update({ dlq_id: null, updated_at: now });
    });
  }

  async getEntries(dlqIds: string[]): Promise<Map<string, StoredDlqEntry>> {
    const result = new Map<string, StoredDlqEntry>();
    for (let i = 0; i < dlqIds.length; i += 500) {
      const rows = await this.db<DlqRow>('workflow_dlq_entries').whereIn(
        'dlq_id',
        dlqIds.slice(i, i + 500),
      );
      for (const row of rows) result.set(row.dlq_id, toEntry(row));
    }
    return result;
  }

  async readSyncState(source: DlqSource): Promise<DlqSyncState> {
    const row = await this.db('workflow_dlq_sync_state')
      .where({ source })
      .first();
    return {
      newestCreatedAtMs:
        row?.newest_created_at_ms === null || row === undefined
          ? null
          : Number(row.newest_created_at_ms),
      lastFullListingAt: toIsoOrNull(row?.last_full_listing_at),
    };
  }

  async writeSyncState(
    source: DlqSource,
    state: {
      newestCreatedAtMs: number | null;
      fullListing: boolean;
      error: string | null;
    },
  ): Promise<void> {
    const now = new Date();
    await this.db('workflow_dlq_sync_state')
      .insert({
        source,
        newest_created_at_ms: state.newestCreatedAtMs,
        last_synced_at: now,
        last_error: state.error,
        ...(state.fullListing ? { last_full_listing_at: now } : {}),
      })
      .onConflict('source')
      .merge();
  }

  async lastSyncedAt(): Promise<string | null> {
    const row = await this.db('workflow_dlq_sync_state')
      .max({ last: 'last_synced_at' })
      .first();
    return toIsoOrNull(row?.last as Date | null | undefined);
  }

  async pruneCreatedBefore(cutoff: Date): Promise<number> {
    return this.db('workflow_dlq_entries')
      .where('created_at_ms', '<', cutoff.getTime())
      .delete();
  }
}
