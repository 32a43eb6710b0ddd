import type {
  ListRunsQuery,
  RunStatus,
  RunStep,
  StepState,
  WorkflowRun,
} from '@internal/plugin-workflows-common';
import { Knex } from 'knex';
import { failureColumns } from '../triage/failureColumns';
import { toIso, toIsoOrNull } from './timestamps';

/** A run as the sync read it from QStash, ready to be stored. */
export interface SyncedRun {
  runId: string;
  workflowId: string;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  label: string | null;
  dlqId: string | null;
  failedStep: string | null;
  error: string | null;
  steps: SyncedStep[];
}

export interface SyncedStep {
  position: number;
  group: 'sequential' | 'parallel' | 'next';
  groupIndex: number;
  name: string;
  type: string;
  state: StepState;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  output: string | null;
  error: string | null;
}

/** Finished-run figures of one workflow over a window. */
export interface WorkflowRunFigures {
  lastRun: {
    runId: string;
    status: RunStatus;
    startedAt: string;
    finishedAt: string | null;
  } | null;
  finished: number;
  succeeded: number;
  p50DurationMs: number | null;
}

export interface RunPage {
  items: WorkflowRun[];
  nextCursor: string | null;
}

/** Reads the run history and writes what the sync and operators learn. */
export interface RunStore {
  listRuns(query: ListRunsQuery & { workflowIds?: string[] }): Promise<RunPage>;
  getRun(runId: string): Promise<WorkflowRun | undefined>;
  getSteps(runId: string): Promise<RunStep[]>;
  /** Cheap value that changes whenever the run or its steps change. */
  changeMarker(runId: string): Promise<string | undefined>;
  recordTriggered(run: {
    runId: string;
    workflowId: string;
    label: string | null;
  }): Promise<void>;
  markCancelled(runId: string): Promise<void>;
  /** Stores the run unless QStash reported it unchanged; true when written. */
  upsertSyncedRun(run: SyncedRun, fingerprint: string): Promise<boolean>;
  /** Runs still marked running, oldest first: the sync re-reads them. */
  listActiveRuns(workflowId: string, limit: number): Promise<string[]>;
  /** The newest run of each workflow; workflows without runs are absent. */
  lastRuns(
    workflowIds: string[],
  ): Promise<Map<string, NonNullable<WorkflowRunFigures['lastRun']>>>;
  /** Finished runs since `since`: counts and median duration. */
  windowFigures(
    workflowId: string,
    since: Date,
  ): Promise<Omit<WorkflowRunFigures, 'lastRun'>>;
  /** Deletes runs that started before `cutoff`, with their steps. */
  pruneStartedBefore(cutoff: Date): Promise<number>;
  /**
   * Groups failed runs stored before failures were grouped, a batch at a
   * time; returns how many it grouped.
   */
  groupUngroupedFailures(batchSize?: number): Promise<number>;
  readSyncWatermark(workflowId: string): Promise<number | null>;
  writeSyncState(
    workflowId: string,
    state: { newestCreatedAt: number | null; error: string | null },
  ): Promise<void>;
  lastSyncedAt(): Promise<string | null>;
}

const OUTPUT_LIMIT = 16_000;

/** Keeps stored step outputs readable without whole payloads. */
export function shortenText(text: string | null | undefined): string | null {
  if (text === undefined || text === null) return null;
  return text.length > OUTPUT_LIMIT
    ? `${text.slice(0, OUTPUT_LIMIT)}… (${text.length} characters)`
    : text;
}

interface RunRow {
  run_id: string;
  workflow_id: string;
  status: RunStatus;
  started_at: Date | string | number;
  finished_at: Date | string | number | null;
  failed_step: string | null;
  error: string | null;
  label: string | null;
  dlq_id: string | null;
  duration_ms: number | string | null;
  step_count: number | string;
  updated_at: Date | string | number | null;
  qstash_fingerprint: string | null;
  failed_at_ms?: number | string | null;
}

/** A failure keeps the time it was first seen until QStash reports the finish. */
function failedAtOf(
  finishedAt: Date | string | number | null,
  knownFailedAtMs: number | string | null | undefined,
): Date {
  if (finishedAt) return new Date(toIso(finishedAt));
  if (knownFailedAtMs) return new Date(Number(knownFailedAtMs));
  return new Date();
}

function toRun(row: RunRow): WorkflowRun {
  return {
    runId: row.run_id,
    workflowId: row.workflow_id,
    status: row.status,
    startedAt: toIso(row.started_at),
    finishedAt: toIsoOrNull(row.finished_at),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    failedStep: row.failed_step,
    error: row.error,
    label: row.label,
    dlqId: row.dlq_id,
    stepCount: Number(row.step_count),
    updatedAt: toIso(row.updated_at ?? row.started_at),
  };
}

/** The paging position: the last row's start time and id, opaque to callers. */
function encodeCursor(row: RunRow): string {
  const startedMs = new Date(toIso(row.started_at)).getTime();
  return Buffer.from(JSON.stringify([startedMs, row.run_id])).toString(
    'base64url',
  );
}

export class InvalidCursorError extends Error {}

function decodeCursor(cursor: string): { startedAt: Date; runId: string } {
  try {
    const [startedMs, runId] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (Number.isFinite(startedMs) && typeof runId === 'string') {
      return { startedAt: new Date(startedMs), runId };
    }
  } catch {
    // reported below
  }
  throw new InvalidCursorError('cursor is not one this API returned');
}

/** SQLite stores our Dates as epoch milliseconds: compare with the same. */
function dateParam(knex: Knex, date: Date): Date | number {
  return String(knex.client.config.client).includes('sqlite')
    ? date.getTime()
    : date;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, c => `\\${c}`);
}

interface JournalRow {
  step_name: string;
  status: 'running' | 'succeeded' | 'failed';
  attempt: number | string;
  started_at: Date | string | number;
  finished_at: Date | string | number | null;
  duration_ms: number | string | null;
  output_summary: string | null;
  error_message: string | null;
}

interface StepRow {
  position: number | string;
  group_kind: RunStep['group'];
  group_index: number | string;
  name: string;
  type: string;
  state: StepState;
  attempts: number | string;
  started_at: Date | string | number | null;
  finished_at: Date | string | number | null;
  duration_ms: number | string | null;
  output: string | null;
  error: string | null;
}

const numberOrNull = (value: number | string | null) =>
  value === null ? null : Number(value);

function attemptOf(row: JournalRow) {
  return {
    attempt: Number(row.attempt),
    status: row.status,
    startedAt: toIso(row.started_at),
    finishedAt: toIsoOrNull(row.finished_at),
    durationMs: numberOrNull(row.duration_ms),
    output: row.output_summary,
    error: row.error_message,
  };
}

/**
 * Steps of a hosted run that QStash's log has not reported (yet): one per
 * step name, in the order the journal first saw them.
 */
function stepsFromJournal(
  journal: JournalRow[],
  runStatus: RunStatus,
  firstPosition: number,
  groupIndexStart: number,
): RunStep[] {
  const byName = new Map<string, JournalRow[]>();
  for (const row of journal) {
    byName.set(row.step_name, [...(byName.get(row.step_name) ?? []), row]);
  }
  return [...byName.entries()].map(([name, rows], index) => {
    const last = rows[rows.length - 1];
    const lastSuccess = [...rows].reverse().find(r => r.status === 'succeeded');
    const lastError = [...rows].reverse().find(r => r.error_message);
    let state: StepState = last.status;
    if (last.status === 'failed' && runStatus === 'running') state = 'retrying';
    if (last.status === 'running' && runStatus !== 'running') {
      state = runStatus === 'cancelled' ? 'cancelled' : 'failed';
    }
    return {
      position: firstPosition + index,
      name,
      type: 'Run',
      group: 'sequential' as const,
      groupIndex: groupIndexStart + index,
      state,
      attempts: rows.length,
      startedAt: toIso(rows[0].started_at),
      finishedAt: toIsoOrNull(last.finished_at),
      durationMs: numberOrNull(last.duration_ms),
      output: lastSuccess?.output_summary ?? null,
      error: state === 'succeeded' ? null : lastError?.error_message ?? null,
      attemptLog: rows.map(attemptOf),
    };
  });
}

/** The run history in the plugin database (SQLite or PostgreSQL). */
export class KnexRunStore implements RunStore {
  constructor(private readonly db: Knex) {}

  async listRuns(
    query: ListRunsQuery & { workflowIds?: string[] },
  ): Promise<RunPage> {
    const limit = query.limit ?? 50;
    const q = this.db<RunRow>('workflow_runs');
    if (query.workflowIds) q.whereIn('workflow_id', query.workflowIds);
    if (query.workflow) q.where('workflow_id', query.workflow);
    if (query.state) q.where('status', query.state);
    if (query.label) q.where('label', query.label);
    if (query.from) {
      q.where('started_at', '>=', dateParam(this.db, new Date(query.from)));
    }
    if (query.to) {
      q.where('started_at', '<', dateParam(this.db, new Date(query.to)));
    }
    if (query.error) {
      q.whereRaw(`lower(error) like ? escape '\\'`, [
        `%${escapeLike(query.error.toLowerCase())}%`,
      ]);
    }
    if (query.step) {
      const step = query.step;
      q.where(builder =>
        builder
          .whereExists(
            this.db('workflow_run_steps')
              .select(this.db.raw('1'))
              .whereRaw('workflow_run_steps.run_id = workflow_runs.run_id')
              .where('name', step),
          )
          .orWhereExists(
            this.db('workflow_step_events')
              .select(this.db.raw('1'))
              .whereRaw('workflow_step_events.run_id = workflow_runs.run_id')
              .where('step_name', step),
          ),
      );
    }
    if (query.cursor) {
      const { startedAt, runId } = decodeCursor(query.cursor);
      q.whereRaw('(started_at, run_id) < (?, ?)', [
        dateParam(this.db, startedAt),
        runId,
      ]);
    }
    const rows = await q
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'run_id', order: 'desc' },
      ])
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    return {
      items: page.map(toRun),
      nextCursor:
        rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  async getRun(runId: string): Promise<WorkflowRun | undefined> {
    const row = await this.db<RunRow>('workflow_runs')
      .where({ run_id: runId })
      .first();
    return row ? toRun(row) : undefined;
  }

  async getSteps(runId: string): Promise<RunStep[]> {
    const [run, synced, journal] = await Promise.all([
      this.db<RunRow>('workflow_runs').where({ run_id: runId }).first(),
      this.db('workflow_run_steps')
        .where({ run_id: runId })
        .orderBy('position') as Promise<StepRow[]>,
      this.db('workflow_step_events')
        .where({ run_id: runId })
        .orderBy('id') as Promise<JournalRow[]>,
    ]);
    if (!run) return [];
    const journalByName = new Map<string, JournalRow[]>();
    for (const row of journal) {
      journalByName.set(row.step_name, [
        ...(journalByName.get(row.step_name) ?? []),
        row,
      ]);
    }
    const steps: RunStep[] = synced.map(row => {
      const attempts = journalByName.get(row.name) ?? [];
      journalByName.delete(row.name);
      const lastSuccess = [...attempts]
        .reverse()
        .find(a => a.status === 'succeeded');
      return {
        position: Number(row.position),
        name: row.name,
        type: row.type,
        group: row.group_kind,
        groupIndex: Number(row.group_index),
        state: row.state,
        attempts: Math.max(Number(row.attempts), attempts.length),
        // The journal timed the step itself; QStash only saw messages.
        startedAt: attempts.length
          ? toIso(attempts[0].started_at)
          : toIsoOrNull(row.started_at),
        finishedAt: lastSuccess
          ? toIsoOrNull(lastSuccess.finished_at)
          : toIsoOrNull(row.finished_at),
        durationMs: lastSuccess
          ? numberOrNull(lastSuccess.duration_ms)
          : numberOrNull(row.duration_ms),
        output: row.output ?? lastSuccess?.output_summary ?? null,
        error: row.error,
        attemptLog: attempts.map(attemptOf),
      };
    });
    const unsynced = journal.filter(row => journalByName.has(row.step_name));
    const finishedSteps = steps.filter(s => s.group !== 'next');
    const nextPosition =
      finishedSteps.reduce((max, s) => Math.max(max, s.position), 0) + 1;
    const nextGroup =
      finishedSteps.reduce((max, s) => Math.max(max, s.groupIndex), -1) + 1;
    const fromJournal = stepsFromJournal(
      unsynced,
      run.status,
      nextPosition,
      nextGroup,
    );
    if (fromJournal.length === 0) return steps;
    // Journal steps newer than the last sync replace QStash's frontier guess.
    const frontier = steps.filter(s => s.group === 'next');
    const replaced = new Set(fromJournal.map(s => s.name));
    return [
      ...finishedSteps,
      ...fromJournal,
      ...frontier
        .filter(s => !replaced.has(s.name))
        .map((s, i) => ({
          ...s,
          position: nextPosition + fromJournal.length + i,
          groupIndex: nextGroup + fromJournal.length,
        })),
    ];
  }

  async changeMarker(runId: string): Promise<string | undefined> {
    const row = await this.db<RunRow>('workflow_runs')
      .where({ run_id: runId })
      .first('status', 'updated_at', 'step_count');
    if (!row) return undefined;
    const events = await this.db('workflow_step_events')
      .where({ run_id: runId })
      .count({ n: '*' })
      .max({ last: 'finished_at' })
      .first();
    return JSON.stringify([
      row.status,
      toIsoOrNull(row.updated_at),
      Number(row.step_count),
      Number(events?.n ?? 0),
      events?.last ? toIso(events.last as Date) : null,
    ]);
  }

  async recordTriggered(run: {
    runId: string;
    workflowId: string;
    label: string | null;
  }): Promise<void> {
    const now = new Date();
    await this.db('workflow_runs')
      .insert({
        run_id: run.runId,
        workflow_id: run.workflowId,
        status: 'running',
        started_at: now,
        updated_at: now,
        label: run.label,
      })
      .onConflict('run_id')
      .merge(['label']);
  }

  async markCancelled(runId: string): Promise<void> {
    const row = await this.db<RunRow>('workflow_runs')
      .where({ run_id: runId })
      .first();
    if (!row) return;
    const now = new Date();
    await this.db('workflow_runs')
      .where({ run_id: runId })
      .update({
        status: 'cancelled',
        finished_at: now,
        updated_at: now,
        duration_ms: now.getTime() - new Date(toIso(row.started_at)).getTime(),
      });
  }

  async upsertSyncedRun(run: SyncedRun, fingerprint: string): Promise<boolean> {
    return this.db.transaction(async tx => {
      // Two replicas syncing the same run queue on its row lock (PostgreSQL;
      // SQLite runs one write transaction at a time anyway).
      await tx('workflow_runs')
        .insert({
          run_id: run.runId,
          workflow_id: run.workflowId,
          status: run.status,
          started_at: run.startedAt,
          updated_at: new Date(),
        })
        .onConflict('run_id')
        .ignore();
      const existing = await tx<RunRow>('workflow_runs')
        .where({ run_id: run.runId })
        .forUpdate()
        .first();
      if (existing?.qstash_fingerprint === fingerprint) return false;
      const values = {
        workflow_id: run.workflowId,
        // A finish seen first by the journal or an operator's cancel is not
        // undone by a QStash log that has not caught up yet.
        status:
          existing && existing.status !== 'running' && run.status === 'running'
            ? existing.status
            : run.status,
        started_at: run.startedAt,
        finished_at: run.finishedAt ?? existing?.finished_at ?? null,
        duration_ms: run.finishedAt
          ? run.finishedAt.getTime() - run.startedAt.getTime()
          : existing?.duration_ms ?? null,
        label: run.label ?? existing?.label ?? null,
        dlq_id: run.dlqId,
        // The journal knows the failing step by name even when QStash does not.
        failed_step: run.failedStep ?? existing?.failed_step ?? null,
        // A failure keeps the error it was first recorded with (the runner's
        // own, for hosted runs): its group, which alerts link to, stays put.
        error:
          existing?.status === 'failed' && existing.error
            ? existing.error
            : run.error ?? existing?.error ?? null,
        step_count: Math.max(
          Number(existing?.step_count ?? 0),
          run.steps.filter(s => s.group !== 'next' && s.type !== 'Initial')
            .length,
        ),
        updated_at: new Date(),
        qstash_fingerprint: fingerprint,
      };
      const failure = failureColumns({
        workflowId: run.workflowId,
        status: values.status,
        failedStep: values.failed_step,
        error: values.error,
        failedAt: failedAtOf(values.finished_at, existing?.failed_at_ms),
      });
      await tx('workflow_runs')
        .where({ run_id: run.runId })
        .update({ ...values, ...failure });
      if (failure.failure_group) {
        // Its DLQ entry is now counted through the run, in the run's group.
        await tx('workflow_dlq_entries')
          .where({ run_id: run.runId })
          .update({ run_known: true, failure_group: failure.failure_group });
      }
      await tx('workflow_run_steps').where({ run_id: run.runId }).delete();
      if (run.steps.length > 0) {
        await tx.batchInsert(
          'workflow_run_steps',
          run.steps.map(step => ({
            run_id: run.runId,
            position: step.position,
            group_kind: step.group,
            group_index: step.groupIndex,
            name: step.name,
            type: step.type,
            state: step.state,
            attempts: step.attempts,
            started_at: step.startedAt,
            finished_at: step.finishedAt,
            duration_ms: step.durationMs,
            output: shortenText(step.output),
            error: shortenText(step.error),
          })),
          200,
        );
      }
      return true;
    });
  }

  async listActiveRuns(workflowId: string, limit: number): Promise<string[]> {
    const rows = await this.db<RunRow>('workflow_runs')
      .where({ workflow_id: workflowId, status: 'running' })
      .orderBy('started_at', 'asc')
      .limit(limit)
      .select('run_id');
    return rows.map(r => r.run_id);
  }

  async lastRuns(
    workflowIds: string[],
  ): Promise<Map<string, NonNullable<WorkflowRunFigures['lastRun']>>> {
    const result = new Map<
      string,
      NonNullable<WorkflowRunFigures['lastRun']>
    >();
    if (workflowIds.length === 0) return result;
    let rows: RunRow[];
    if (String(this.db.client.config.client).includes('pg')) {
      // One round trip: the newest row per workflow through its index.
      const answer = await this.db.raw(
        `SELECT r.* FROM unnest(?::text[]) AS w(id)
         CROSS JOIN LATERAL (
           SELECT * FROM workflow_runs
           WHERE workflow_id = w.id
           ORDER BY started_at DESC, run_id DESC
           LIMIT 1
         ) r`,
        [workflowIds],
      );
      rows = answer.rows;
    } else {
      rows = (
        await Promise.all(
          workflowIds.map(id =>
            this.db<RunRow>('workflow_runs')
              .where({ workflow_id: id })
              .orderBy([
                { column: 'started_at', order: 'desc' },
                { column: 'run_id', order: 'desc' },
              ])
              .first(),
          ),
        )
      ).filter((row): row is RunRow => row !== undefined);
    }
    for (const row of rows) {
      result.set(row.workflow_id, {
        runId: row.run_id,
        status: row.status,
        startedAt: toIso(row.started_at),
        finishedAt: toIsoOrNull(row.finished_at),
      });
    }
    return result;
  }

  async windowFigures(
    workflowId: string,
    since: Date,
  ): Promise<Omit<WorkflowRunFigures, 'lastRun'>> {
    const finishedInWindow = () =>
      this.db<RunRow>('workflow_runs')
        .where({ workflow_id: workflowId })
        .where('finished_at', '>=', dateParam(this.db, since))
        .whereIn('status', ['succeeded', 'failed']);
    const counts = (await finishedInWindow()
      .select(
        this.db.raw('count(*) as finished'),
        this.db.raw(
          "sum(case when status = 'succeeded' then 1 else 0 end) as succeeded",
        ),
      )
      .first()) as
      | { finished?: number | string; succeeded?: number | string | null }
      | undefined;
    const finished = Number(counts?.finished ?? 0);
    let p50DurationMs: number | null = null;
    if (finished > 0) {
      const median = await finishedInWindow()
        .whereNotNull('duration_ms')
        .orderBy('duration_ms')
        .offset(Math.floor((finished - 1) / 2))
        .first('duration_ms');
      p50DurationMs = median ? Number(median.duration_ms) : null;
    }
    return {
      finished,
      succeeded: Number(counts?.succeeded ?? 0),
      p50DurationMs,
    };
  }

  async groupUngroupedFailures(batchSize = 500): Promise<number> {
    let grouped = 0;
    for (;;) {
      const rows = await this.db<RunRow>('workflow_runs')
        .where({ status: 'failed' })
        .whereNull('failure_group')
        .limit(batchSize)
        .select(
          'run_id',
          'workflow_id',
          'failed_step',
          'error',
          'finished_at',
          'updated_at',
          'started_at',
        );
      if (rows.length === 0) return grouped;
      await this.db.transaction(async tx => {
        for (const row of rows) {
          await tx('workflow_runs')
            .where({ run_id: row.run_id })
            .update(
              failureColumns({
                workflowId: row.workflow_id,
                status: 'failed',
                failedStep: row.failed_step,
                error: row.error,
                failedAt: new Date(
                  toIso(row.finished_at ?? row.updated_at ?? row.started_at),
                ),
              }),
            );
        }
      });
      grouped += rows.length;
    }
  }

  async pruneStartedBefore(cutoff: Date): Promise<number> {
    const before = dateParam(this.db, cutoff);
    return this.db.transaction(async (tx): Promise<number> => {
      const old = () =>
        tx('workflow_runs').where('started_at', '<', before).select('run_id');
      await tx('workflow_run_steps').whereIn('run_id', old()).delete();
      await tx('workflow_step_events').whereIn('run_id', old()).delete();
      return Number(
        await tx('workflow_runs').where('started_at', '<', before).delete(),
      );
    });
  }

  async readSyncWatermark(workflowId: string): Promise<number | null> {
    const row = await this.db('workflow_sync_state')
      .where({ workflow_id: workflowId })
      .first('newest_created_at');
    return row?.newest_created_at === null || row === undefined
      ? null
      : Number(row.newest_created_at);
  }

  async writeSyncState(
    workflowId: string,
    state: { newestCreatedAt: number | null; error: string | null },
  ): Promise<void> {
    await this.db('workflow_sync_state')
      .insert({
        workflow_id: workflowId,
        newest_created_at: state.newestCreatedAt,
        last_synced_at: new Date(),
        last_error: state.error,
      })
      .onConflict('workflow_id')
      .merge();
  }

  async lastSyncedAt(): Promise<string | null> {
    const row = await this.db('workflow_sync_state')
      .max({ last: 'last_synced_at' })
      .first();
    return row?.last ? toIso(row.last as Date) : null;
  }
}
