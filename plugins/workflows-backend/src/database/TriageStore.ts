import type {
  DlqEntryState,
  DlqSource,
  RunStatus,
  TriageFailure,
} from '@internal/plugin-workflows-common';
import { InputError } from '@backstage/errors';
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
  /** Of those, dead letter entries still in a DLQ. */
  inDlq: number;
}

export interface FailureGroupDetails {
  failureGroup: string;
  workflowId: string;
  step: string | null;
  /** Null when only dead letter entries carry the group: they store no signature. */
  signature: string | null;
  latestError: string;
  firstMs: number;
  lastMs: number;
  exampleRunIds: string[];
  dlqIds: string[];
}

/** One page of a group's entries still in a dead letter queue, oldest first. */
export interface GroupDlqPage {
  dlqIds: string[];
  /** Where the next page starts; null when this page holds the last entry. */
  nextCursor: string | null;
  /** The entries from this page on, this page included. */
  pending: number;
}

/** A `groupDlqPage` cursor: the creation time and id of the last entry handed out. */
function parseDlqCursor(cursor: string): {
  createdAtMs: number;
  dlqId: string;
} {
  const match = /^(\d{1,16}):([A-Za-z0-9._-]+)$/.exec(cursor);
  if (!match) {
    throw new InputError(
      'Invalid body: group.after is not a cursor this server handed out',
    );
  }
  return { createdAtMs: Number(match[1]), dlqId: match[2] };
}

/** Reads failures grouped by cause: failed runs, and DLQ entries without a run here. */
export interface TriageStore {
  failureBuckets(
    window: TriageWindow & { originMs: number; bucketMs: number },
  ): Promise<FailureBucket[]>;
  /** The newest failures of each group in the window, in one round trip. */
  groupDetails(
    failureGroups: string[],
    window: Omit<TriageWindow, 'workflowIds'>,
    limits: { examples: number; dlqIds: number },
  ): Promise<FailureGroupDetails[]>;
  groupFailures(
    failureGroup: string,
    window: Omit<TriageWindow, 'workflowIds'>,
    limit: number,
  ): Promise<{
    items: TriageFailure[];
    totalCount: number;
    workflowId?: string;
  }>;
  /**
   * Every entry of a group in a DLQ in the window, a page at a time after
   * `after` (a previous page's `nextCursor`), however many the group holds.
   */
  groupDlqPage(
    failureGroup: string,
    window: Omit<TriageWindow, 'workflowIds'>,
    after: string | undefined,
    limit: number,
  ): Promise<GroupDlqPage>;
  /**
   * Moves with every change the triage counts (kept by the same triggers as
   * the hourly counts): while it stands still, a computed answer holds.
   */
  version(): Promise<string>;
}

const HOUR_MS = 3_600_000;
type Range = [number, number];

/**
 * [start, end) as its whole hours, counted by the triggers in
 * workflow_failure_hours, and the partial hours at its ends, counted from
 * the rows themselves.
 */
export function splitByHours(
  start: number,
  end: number,
): { hours: Range | null; partial: Range[] } {
  const firstHour = Math.ceil(start / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(end / HOUR_MS) * HOUR_MS;
  if (firstHour >= lastHour) {
    return { hours: null, partial: start < end ? [[start, end]] : [] };
  }
  const partial: Range[] = [];
  if (start < firstHour) partial.push([start, firstHour]);
  if (lastHour < end) partial.push([lastHour, end]);
  return { hours: [firstHour, lastHour], partial };
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** A JSON column as the driver hands it back: parsed (pg) or text (SQLite). */
function jsonColumn<T>(value: unknown): T[] {
  if (value === null || value === undefined) return [];
  return (typeof value === 'string' ? JSON.parse(value) : value) as T[];
}

interface ExampleRun {
  run_id: string;
  workflow_id: string;
  failed_at_ms: number | string;
  failed_step: string | null;
  error: string | null;
  error_signature: string | null;
}

/** A row of the bucket queries, as either driver returns it. */
interface BucketRow {
  failure_group: string;
  workflow_id: string;
  bucket: number | string;
  n: number | string;
  in_dlq: number | string;
}

/** A row of the details statement: JSON columns parsed (pg) or as text (SQLite). */
interface DetailRow {
  failure_group: string;
  examples: unknown;
  runs_first_ms: number | string | null;
  newest_orphan: unknown;
  orphans_first_ms: number | string | null;
  dlq_ids: unknown;
}

interface OrphanEntry {
  workflow_id: string;
  created_at_ms: number | string;
  failed_step: string | null;
  error: string | null;
}

export class KnexTriageStore implements TriageStore {
  private readonly postgres: boolean;

  constructor(private readonly db: Knex) {
    this.postgres = db.client.config.client === 'pg';
  }

  async failureBuckets(
    window: TriageWindow & { originMs: number; bucketMs: number },
  ): Promise<FailureBucket[]> {
    if (window.workflowIds.length === 0) return [];
    const previous = splitByHours(window.originMs, window.fromMs);
    const current = splitByHours(window.fromMs, window.toMs);
    const partial = [...previous.partial, ...current.partial];
    const hours = [previous.hours, current.hours].filter(
      (r): r is Range => r !== null,
    );
    const bucket = (column: string) =>
      this.db.raw(
        `(${column} - CAST(? AS BIGINT)) / CAST(? AS BIGINT) as bucket`,
        [window.originMs, window.bucketMs],
      );
    // One grouped query per range, glued with UNION ALL: each is a plain
    // index range scan (PostgreSQL turns ORed ranges into bitmap scans of the
    // table). Rows of one group and bucket may repeat; the caller adds them.
    const perRange = (
      ranges: Range[],
      column: string,
      query: (range: Range) => Knex.QueryBuilder,
    ): Promise<BucketRow[]> => {
      const parts = ranges.map(([from, to]) =>
        query([from, to])
          .where(column, '>=', from)
          .andWhere(column, '<', to)
          .whereIn('workflow_id', window.workflowIds)
          .groupBy('failure_group', 'workflow_id', 'bucket'),
      );
      if (parts.length === 0) return Promise.resolve([]);
      // Glued by hand: knex moves a first part's GROUP BY behind the union.
      const compiled = parts.map(part => part.toSQL());
      return this.db
        .raw(compiled.map(c => c.sql).join(' UNION ALL '), [
          ...compiled.flatMap(c => c.bindings),
        ])
        .then(result => (this.postgres ? result.rows : result));
    };

    const queries = [
      perRange(hours, 'hour_ms', () =>
        this.db('workflow_failure_hours').select(
          'failure_group',
          'workflow_id',
          bucket('hour_ms'),
          this.db.raw('sum(failures) as n'),
          this.db.raw('sum(in_dlq) as in_dlq'),
        ),
      ),
      perRange(partial, 'failed_at_ms', () =>
        this.db('workflow_runs')
          .select(
            'failure_group',
            'workflow_id',
            bucket('failed_at_ms'),
            this.db.raw('count(*) as n'),
            this.db.raw('0 as in_dlq'),
          )
          .whereNotNull('failure_group'),
      ),
      perRange(partial, 'created_at_ms', () =>
        this.db('workflow_dlq_entries')
          .select(
            'failure_group',
            'workflow_id',
            bucket('created_at_ms'),
            this.db.raw(`sum(CASE WHEN run_known THEN 0 ELSE 1 END) as n`),
            this.db.raw(
              `sum(CASE WHEN state = 'in-dlq' THEN 1 ELSE 0 END) as in_dlq`,
            ),
          )
          .whereNotNull('failure_group'),
      ),
    ];
    const rows = (await Promise.all(queries)).flat();
    return rows
      .map(row => ({
        failureGroup: row.failure_group,
        workflowId: row.workflow_id,
        bucket: Number(row.bucket),
        count: Number(row.n),
        inDlq: Number(row.in_dlq),
      }))
      .filter(row => row.count > 0 || row.inDlq > 0);
  }

  /** Failures of one group in the window: whole hours counted, the ends read. */
  private async groupCount(
    failureGroup: string,
    window: Omit<TriageWindow, 'workflowIds'>,
  ): Promise<number> {
    const { hours, partial } = splitByHours(window.fromMs, window.toMs);
    const parts: Knex.QueryBuilder[] = [];
    if (hours) {
      parts.push(
        this.db('workflow_failure_hours')
          .where({ failure_group: failureGroup })
          .andWhere('hour_ms', '>=', hours[0])
          .andWhere('hour_ms', '<', hours[1])
          .select(this.db.raw('sum(failures) as n')),
      );
    }
    for (const [from, to] of partial) {
      parts.push(
        this.db('workflow_runs')
          .where({ failure_group: failureGroup })
          .andWhere('failed_at_ms', '>=', from)
          .andWhere('failed_at_ms', '<', to)
          .select(this.db.raw('count(*) as n')),
        this.db('workflow_dlq_entries')
          .where({ failure_group: failureGroup, run_known: false })
          .andWhere('created_at_ms', '>=', from)
          .andWhere('created_at_ms', '<', to)
          .select(this.db.raw('count(*) as n')),
      );
    }
    if (parts.length === 0) return 0;
    // One round trip for all the parts.
    const compiled = parts.map(part => part.toSQL());
    const result = await this.db.raw(
      `SELECT sum(n) AS n FROM (${compiled
        .map(c => c.sql)
        .join(' UNION ALL ')}) AS counted`,
      compiled.flatMap(c => [...c.bindings]),
    );
    const [row] = this.postgres ? result.rows : result;
    return Number(row?.n ?? 0);
  }

  async version(): Promise<string> {
    const row = await this.db('workflow_failure_version')
      .where({ id: 1 })
      .first('version');
    return String(row?.version ?? 0);
  }

  async groupDetails(
    failureGroups: string[],
    window: Omit<TriageWindow, 'workflowIds'>,
    limits: { examples: number; dlqIds: number },
  ): Promise<FailureGroupDetails[]> {
    if (failureGroups.length === 0) return [];
    const examples = Math.trunc(limits.examples);
    const dlqIds = Math.trunc(limits.dlqIds);
    const pg = this.postgres;
    // The newest rows of a correlated query as one JSON array column.
    const newest = (
      fields: string[],
      from: string,
      order: string,
      limit: number,
    ) =>
      pg
        ? `(SELECT json_agg(json_build_object(${fields
            .map(f => `'${f}', x.${f}`)
            .join(', ')}) ORDER BY x.${order} DESC)
           FROM (SELECT ${[...new Set([...fields, order])].join(', ')} ${from}
                 ORDER BY ${order} DESC LIMIT ${limit}) AS x)`
        : `(SELECT json_group_array(json_object(${fields
            .map(f => `'${f}', x.${f}`)
            .join(', ')}))
           FROM (SELECT ${fields.join(', ')} ${from}
                 ORDER BY ${order} DESC LIMIT ${limit}) AS x)`;
    const runsOf = `FROM workflow_runs r WHERE r.failure_group = g.id
      AND r.failed_at_ms >= :from AND r.failed_at_ms < :to`;
    const orphansOf = `FROM workflow_dlq_entries d WHERE d.failure_group = g.id
      AND ${pg ? 'NOT d.run_known' : 'd.run_known = 0'}
      AND d.created_at_ms >= :from AND d.created_at_ms < :to`;
    const inDlqOf = `FROM workflow_dlq_entries d WHERE d.failure_group = g.id
      AND d.state = 'in-dlq'
      AND d.created_at_ms >= :from AND d.created_at_ms < :to`;
    const groups = pg
      ? `(SELECT value AS id FROM json_array_elements_text(CAST(:groups AS json))) AS g`
      : `(SELECT value AS id FROM json_each(:groups)) AS g`;
    const result = await this.db.raw(
      `SELECT g.id AS failure_group,
        ${newest(
          [
            'run_id',
            'workflow_id',
            'failed_at_ms',
            'failed_step',
            'error',
            'error_signature',
          ],
          runsOf,
          'failed_at_ms',
          examples,
        )} AS examples,
        (SELECT min(r.failed_at_ms) ${runsOf}) AS runs_first_ms,
        ${newest(
          ['workflow_id', 'created_at_ms', 'failed_step', 'error'],
          orphansOf,
          'created_at_ms',
          1,
        )} AS newest_orphan,
        (SELECT min(d.created_at_ms) ${orphansOf}) AS orphans_first_ms,
        ${newest(['dlq_id'], inDlqOf, 'created_at_ms', dlqIds)} AS dlq_ids
      FROM ${groups}`,
      {
        from: window.fromMs,
        to: window.toMs,
        groups: JSON.stringify(failureGroups),
      },
    );
    const rows: DetailRow[] = pg ? result.rows : result;
    const details: FailureGroupDetails[] = [];
    for (const row of rows) {
      const runs = jsonColumn<ExampleRun>(row.examples);
      const orphan = jsonColumn<OrphanEntry>(row.newest_orphan)[0];
      const run = runs[0];
      const runLast = run ? Number(run.failed_at_ms) : -Infinity;
      const orphanLast = orphan ? Number(orphan.created_at_ms) : -Infinity;
      const latest = runLast >= orphanLast ? run : orphan;
      if (!latest) continue;
      const firsts = [row.runs_first_ms, row.orphans_first_ms]
        .filter(v => v !== null && v !== undefined)
        .map(Number);
      details.push({
        failureGroup: row.failure_group,
        workflowId: latest.workflow_id,
        step: latest.failed_step ?? null,
        signature: latest === run ? run.error_signature ?? null : null,
        latestError: latest.error ?? 'The run failed',
        firstMs: Math.min(...firsts),
        lastMs: Math.max(runLast, orphanLast),
        exampleRunIds: runs.map(r => r.run_id),
        dlqIds: jsonColumn<{ dlq_id: string }>(row.dlq_ids).map(d => d.dlq_id),
      });
    }
    return details;
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
    const [runRows, orphanRows, totalCount] = await Promise.all([
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
      this.groupCount(failureGroup, window),
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
      totalCount,
      workflowId: rows[0]?.workflow_id,
    };
  }

  async groupDlqPage(
    failureGroup: string,
    window: Omit<TriageWindow, 'workflowIds'>,
    after: string | undefined,
    limit: number,
  ): Promise<GroupDlqPage> {
    const start = after === undefined ? undefined : parseDlqCursor(after);
    // The partial index on in-DLQ entries serves both reads.
    const inWindow = () => {
      const query = this.db('workflow_dlq_entries')
        .where({ failure_group: failureGroup, state: 'in-dlq' })
        .andWhere('created_at_ms', '>=', window.fromMs)
        .andWhere('created_at_ms', '<', window.toMs);
      if (start) {
        query.andWhereRaw('(created_at_ms, dlq_id) > (?, ?)', [
          start.createdAtMs,
          start.dlqId,
        ]);
      }
      return query;
    };
    const [rows, counted] = await Promise.all([
      inWindow()
        .orderBy([
          { column: 'created_at_ms', order: 'asc' },
          { column: 'dlq_id', order: 'asc' },
        ])
        .limit(limit + 1)
        .select<{ dlq_id: string; created_at_ms: number | string }[]>(
          'dlq_id',
          'created_at_ms',
        ),
      inWindow().count<{ n: number | string }[]>({ n: '*' }),
    ]);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      dlqIds: page.map(row => row.dlq_id),
      nextCursor:
        rows.length > limit && last
          ? `${Number(last.created_at_ms)}:${last.dlq_id}`
          : null,
      pending: Number(counted[0]?.n ?? 0),
    };
  }
}
