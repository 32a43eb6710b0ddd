import type {
  DlqEntryState,
  DlqSource,
  RunStatus,
  TriageFailure,
} from '@internal/plugin-workflows-common';
import { Knex } from 'knex';

/** A window [fromMs, toMs) and the workflows the caller may read. */
export interface TriageWindow {
  fromMs: number;
  toMs: number;
  workflowIds: string[];
}

/** Failures of one group in one bucket; bucket 0 starts at `originMs`. */
export interface FailureBucket {
  failureGroup: string;
  workflowId: string;
  bucket: number;
  count: number;
  firstMs: number;
  lastMs: number;
}

export interface FailureGroupDetails {
  failureGroup: string;
  workflowId: string;
  step: string | null;
  signature: string;
  latestError: string;
  exampleRunIds: string[];
  dlqIds: string[];
  inDlqCount: number;
}

/** Reads failures grouped by cause: failed runs, and DLQ entries without a run here. */
export interface TriageStore {
  failureBuckets(
    window: TriageWindow & { originMs: number; bucketMs: number },
  ): Promise<FailureBucket[]>;
  groupDetails(
    failureGroup: string,
    window: Omit<TriageWindow, 'workflowIds'>,
    limits: { examples: number; dlqIds: number },
  ): Promise<FailureGroupDetails | undefined>;
  groupFailures(
    failureGroup: string,
    window: Omit<TriageWindow, 'workflowIds'>,
    limit: number,
  ): Promise<{
    items: TriageFailure[];
    totalCount: number;
    workflowId?: string;
  }>;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

export class KnexTriageStore implements TriageStore {
  constructor(private readonly db: Knex) {}

  async failureBuckets(
    window: TriageWindow & { originMs: number; bucketMs: number },
  ): Promise<FailureBucket[]> {
    if (window.workflowIds.length === 0) return [];
    // Counts per group and bucket of one table, by its failure time column.
    const bucketsOf = (table: string, timeColumn: string) =>
      this.db(table)
        .select(
          'failure_group',
          'workflow_id',
          this.db.raw(
            `(${timeColumn} - CAST(? AS BIGINT)) / CAST(? AS BIGINT) as bucket`,
            [window.originMs, window.bucketMs],
          ),
          this.db.raw('count(*) as n'),
          this.db.raw(`min(${timeColumn}) as first_ms`),
          this.db.raw(`max(${timeColumn}) as last_ms`),
        )
        .where(timeColumn, '>=', window.originMs)
        .andWhere(timeColumn, '<', window.toMs)
        .whereIn('workflow_id', window.workflowIds)
        .groupBy('failure_group', 'workflow_id', 'bucket');
    const runs = bucketsOf('workflow_runs', 'failed_at_ms');
    // Entries whose run is not here count on their own.
    const orphans = bucketsOf('workflow_dlq_entries', 'created_at_ms')
      .andWhere('run_known', false)
      .whereNotNull('failure_group');
    const rows = [...(await runs), ...(await orphans)];
    return rows.map(row => ({
      failureGroup: row.failure_group,
      workflowId: row.workflow_id,
      bucket: Number(row.bucket),
      count: Number(row.n),
      firstMs: Number(row.first_ms),
      lastMs: Number(row.last_ms),
    }));
  }

  async groupDetails(
    failureGroup: string,
    window: Omit<TriageWindow, 'workflowIds'>,
    limits: { examples: number; dlqIds: number },
  ): Promise<FailureGroupDetails | undefined> {
    const [runs, dlq, inDlq] = await Promise.all([
      this.db('workflow_runs')
        .where({ failure_group: failureGroup })
        .andWhere('failed_at_ms', '>=', window.fromMs)
        .andWhere('failed_at_ms', '<', window.toMs)
        .orderBy('failed_at_ms', 'desc')
        .limit(limits.examples)
        .select(
          'run_id',
          'workflow_id',
          'failed_step',
          'error',
          'error_signature',
        ),
      this.db('workflow_dlq_entries')
        .where({ failure_group: failureGroup, state: 'in-dlq' })
        .andWhere('created_at_ms', '>=', window.fromMs)
        .andWhere('created_at_ms', '<', window.toMs)
        .orderBy('created_at_ms', 'desc')
        .limit(limits.dlqIds)
        .select('dlq_id', 'workflow_id', 'failed_step', 'error'),
      this.db('workflow_dlq_entries')
        .where({ failure_group: failureGroup, state: 'in-dlq' })
        .andWhere('created_at_ms', '>=', window.fromMs)
        .andWhere('created_at_ms', '<', window.toMs)
        .count({ n: '*' })
        .first(),
    ]);
    const latest = runs[0] ?? dlq[0];
    if (!latest) return undefined;
    return {
      failureGroup,
      workflowId: latest.workflow_id,
      step: latest.failed_step ?? null,
      signature: latest.error_signature ?? '',
      latestError: latest.error ?? 'The run failed',
      exampleRunIds: runs.map(r => r.run_id),
      dlqIds: dlq.map(d => d.dlq_id),
      inDlqCount: Number(inDlq?.n ?? 0),
    };
  }

  async groupFailures(
    failureGroup: string,
    window: Omit<TriageWindow, 'workflowIds'>,
    limit: number,
  ): Promise<{
    items: TriageFailure[];
    totalCount: number;
    workflowId?: string;
  }> {
    const [runRows, orphanRows, runCount, orphanCount] = await Promise.all([
      this.db('workflow_runs as r')
        .leftJoin('workflow_dlq_entries as d', 'd.run_id', 'r.run_id')
        .leftJoin('workflow_runs as n', 'n.run_id', 'd.resolved_run_id')
        .where('r.failure_group', failureGroup)
        .andWhere('r.failed_at_ms', '>=', window.fromMs)
        .andWhere('r.failed_at_ms', '<', window.toMs)
        .orderBy('r.failed_at_ms', 'desc')
        .limit(limit)
        .select(
          'r.run_id',
          'r.workflow_id',
          'r.status',
          'r.failed_at_ms as at_ms',
          'r.failed_step',
          'r.error',
          'd.dlq_id',
          'd.source',
          'd.state',
          'd.resolved_run_id',
          'n.status as resolved_status',
        ),
      this.db('workflow_dlq_entries as d')
        .leftJoin('workflow_runs as n', 'n.run_id', 'd.resolved_run_id')
        .where({ 'd.failure_group': failureGroup, 'd.run_known': false })
        .andWhere('d.created_at_ms', '>=', window.fromMs)
        .andWhere('d.created_at_ms', '<', window.toMs)
        .orderBy('d.created_at_ms', 'desc')
        .limit(limit)
        .select(
          this.db.raw('null as run_id'),
          'd.workflow_id',
          this.db.raw('null as status'),
          'd.created_at_ms as at_ms',
          'd.failed_step',
          'd.error',
          'd.dlq_id',
          'd.source',
          'd.state',
          'd.resolved_run_id',
          'n.status as resolved_status',
        ),
      this.db('workflow_runs')
        .where({ failure_group: failureGroup })
        .andWhere('failed_at_ms', '>=', window.fromMs)
        .andWhere('failed_at_ms', '<', window.toMs)
        .count({ n: '*' })
        .first(),
      this.db('workflow_dlq_entries')
        .where({ failure_group: failureGroup, run_known: false })
        .andWhere('created_at_ms', '>=', window.fromMs)
        .andWhere('created_at_ms', '<', window.toMs)
        .count({ n: '*' })
        .first(),
    ]);
    const rows = [...runRows, ...orphanRows]
      .sort((a, b) => Number(b.at_ms) - Number(a.at_ms))
      .slice(0, limit);
    const items = rows.map(
      (row): TriageFailure => ({
        runId: row.run_id ?? null,
        runStatus: (row.status as RunStatus | null) ?? null,
        occurredAt: iso(row.at_ms),
        step: row.failed_step ?? null,
        error: row.error ?? 'The run failed',
        dlq: row.dlq_id
          ? {
              dlqId: row.dlq_id,
              source: row.source as DlqSource,
              state: row.state as DlqEntryState,
              resolvedRunId: row.resolved_run_id ?? null,
              resolvedRunStatus:
                (row.resolved_status as RunStatus | null) ?? null,
            }
          : null,
      }),
    );
    return {
      items,
      totalCount: Number(runCount?.n ?? 0) + Number(orphanCount?.n ?? 0),
      workflowId: rows[0]?.workflow_id,
    };
  }
}
