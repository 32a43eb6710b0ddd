import type {
  DlqAction,
  DlqActionOutcome,
  DlqEntryState,
  DlqSource,
} from '@internal/plugin-workflows-common';
import type { DlqStore, StoredDlqEntry } from '../database/DlqStore';
import type { DlqBulkAction, QStashGateway } from '../qstash/QStashGateway';
import { DLQ_BULK_PAGE_SIZE } from '../qstash/UpstashQStashGateway';

/** The queue each action works on. */
/** Reads of a selection's entries in flight at once, before a bulk call. */
const EXISTENCE_READS_AT_ONCE = 8;

const ACTION_SOURCE: Record<DlqAction, DlqSource | 'either'> = {
  resume: 'workflow',
  restart: 'workflow',
  'retry-failure-function': 'workflow',
  redeliver: 'message',
  delete: 'either',
};

/** How an entry leaves the DLQ after the action succeeded (undefined: it stays). */
const STATE_AFTER: Record<
  DlqAction,
  Exclude<DlqEntryState, 'in-dlq'> | undefined
> = {
  resume: 'resumed',
  restart: 'restarted',
  'retry-failure-function': undefined,
  redeliver: 'retried',
  delete: 'deleted',
};

const failed = (dlqId: string, error: string): DlqActionOutcome => ({
  dlqId,
  ok: false,
  workflowRunId: null,
  error,
});

const describe = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

/**
 * Runs an operator's DLQ action on explicit entries: bulk calls of the API's
 * page size, and one call per entry where a bulk call failed, so every entry
 * gets its own outcome. Entries the mirror does not hold never reach QStash.
 */
export class DlqActions {
  constructor(
    private readonly gateway: QStashGateway,
    private readonly store: DlqStore,
  ) {}

  async run(
    action: DlqAction,
    entries: { dlqId: string; entry?: StoredDlqEntry }[],
    options: { retries?: number },
  ): Promise<DlqActionOutcome[]> {
    const outcomes = new Map<string, DlqActionOutcome>();
    const bySource: Record<DlqSource, StoredDlqEntry[]> = {
      workflow: [],
      message: [],
    };
    for (const { dlqId, entry } of entries) {
      if (!entry) {
        outcomes.set(
          dlqId,
          failed(dlqId, 'Not in the dead letter queue (or not synced yet)'),
        );
      } else if (entry.state !== 'in-dlq') {
        outcomes.set(
          dlqId,
          failed(dlqId, `Already left the dead letter queue (${entry.state})`),
        );
      } else if (
        ACTION_SOURCE[action] !== 'either' &&
        ACTION_SOURCE[action] !== entry.source
      ) {
        outcomes.set(
          dlqId,
          failed(
            dlqId,
            entry.source === 'workflow'
              ? `"${action}" is for message dead letters; a workflow run is resumed or restarted`
              : `"${action}" is for workflow runs; a message dead letter is redelivered`,
          ),
        );
      } else {
        bySource[entry.source].push(entry);
      }
    }

    for (const source of ['workflow', 'message'] as const) {
      const selected = bySource[source];
      if (selected.length === 0) continue;
      const results =
        action === 'retry-failure-function'
          ? await this.oneByOne(source, action, selected, options)
          : await this.inBulk(source, action, selected, options);
      for (const outcome of results) outcomes.set(outcome.dlqId, outcome);
    }

    const leaving = STATE_AFTER[action];
    if (leaving) {
      await this.store.markLeft(
        [...outcomes.values()]
          .filter(o => o.ok)
          .map(o => ({
            dlqId: o.dlqId,
            state: leaving,
            resolvedRunId: o.workflowRunId,
          })),
      );
    }
    return entries.map(({ dlqId }) => outcomes.get(dlqId)!);
  }

  private async inBulk(
    source: DlqSource,
    action: DlqBulkAction,
    selected: StoredDlqEntry[],
    options: { retries?: number },
  ): Promise<DlqActionOutcome[]> {
    const outcomes: DlqActionOutcome[] = [];
    const { present, gone } = await this.stillListed(source, selected);
    for (const entry of gone) {
      outcomes.push(
        failed(
          entry.dlqId,
          'Not found in the QStash dead letter queue: it left it outside the portal',
        ),
      );
    }
    if (gone.length > 0) {
      await this.store.markLeft(
        gone.map(entry => ({ dlqId: entry.dlqId, state: 'gone' as const })),
      );
    }
    for (const chunk of chunks(present, DLQ_BULK_PAGE_SIZE[action])) {
      const ids = chunk.map(e => e.dlqId);
      let result;
      try {
        result = await this.gateway.dlqBulk(source, action, ids, options);
      } catch {
        // One bad entry fails the whole call: find out which, one at a time.
        outcomes.push(...(await this.oneByOne(source, action, chunk, options)));
        continue;
      }
      const startsRuns = action === 'resume' || action === 'restart';
      const complete = startsRuns
        ? result.workflowRunIds.length === ids.length
        : result.handled === ids.length;
      if (complete) {
        ids.forEach((dlqId, i) =>
          outcomes.push({
            dlqId,
            ok: true,
            workflowRunId: startsRuns ? result.workflowRunIds[i] : null,
            error: null,
          }),
        );
      } else {
        // The call worked for some: which ones, the next full DLQ sync shows.
        const message = `QStash handled ${
          startsRuns ? result.workflowRunIds.length : result.handled
        } of ${
          ids.length
        } entries in one call without saying which; the next sync shows the rest`;
        outcomes.push(...ids.map(dlqId => failed(dlqId, message)));
      }
    }
    return outcomes;
  }

  /**
   * Splits a selection by whether QStash still lists each entry, a few reads
   * at a time. An entry whose read fails counts as present: the action then
   * reports its own error.
   */
  private async stillListed(
    source: DlqSource,
    selected: StoredDlqEntry[],
  ): Promise<{ present: StoredDlqEntry[]; gone: StoredDlqEntry[] }> {
    const listed: boolean[] = [];
    for (const batch of chunks(selected, EXISTENCE_READS_AT_ONCE)) {
      listed.push(
        ...(await Promise.all(
          batch.map(entry =>
            this.gateway.dlqExists(source, entry.dlqId).catch(() => true),
          ),
        )),
      );
    }
    return {
      present: selected.filter((_, i) => listed[i]),
      gone: selected.filter((_, i) => !listed[i]),
    };
  }

  private async oneByOne(
    source: DlqSource,
    action: DlqBulkAction | 'retry-failure-function',
    selected: StoredDlqEntry[],
    options: { retries?: number },
  ): Promise<DlqActionOutcome[]> {
    const outcomes: DlqActionOutcome[] = [];
    for (const entry of selected) {
      try {
        const result = await this.gateway.dlqOne(
          source,
          action,
          entry.dlqId,
          options,
        );
        outcomes.push({
          dlqId: entry.dlqId,
          ok: true,
          workflowRunId: result.workflowRunId ?? null,
          error: null,
        });
      } catch (error) {
        outcomes.push(failed(entry.dlqId, describe(error)));
      }
    }
    return outcomes;
  }
}
