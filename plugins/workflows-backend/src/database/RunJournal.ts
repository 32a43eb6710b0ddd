import type { RunStatus } from '@internal/plugin-workflows-common';
import { Knex } from 'knex';
import { failureColumns } from '../triage/failureColumns';
import { toIso } from './timestamps';

const SUMMARY_LIMIT = 2000;

/** Keeps step outputs readable in the UI without storing whole payloads. */
export function summarizeOutput(output: unknown): string | null {
  if (output === undefined) return null;
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  if (text === undefined) return null;
  return text.length > SUMMARY_LIMIT
    ? `${text.slice(0, SUMMARY_LIMIT)}… (${text.length} characters)`
    : text;
}

/** Writes and reads the runs and step journal of hosted runners. */
export class RunJournal {
  constructor(private readonly db: Knex) {}

  /** Records that a run is executing; a replayed first call changes nothing. */
  async runStarted(runId: string, workflowId: string): Promise<void> {
    await this.db('workflow_runs')
      .insert({
        run_id: runId,
        workflow_id: workflowId,
        status: 'running',
        started_at: new Date(),
        updated_at: new Date(),
      })
      .onConflict('run_id')
      .ignore();
  }

  /** Marks a change the run page should see, and sets the duration once finished. */
  private async finish(
    runId: string,
    values: Record<string, unknown>,
  ): Promise<void> {
    const row = await this.db('workflow_runs')
      .where({ run_id: runId })
      .first('started_at');
    const now = new Date();
    const startedMs = row
      ? new Date(toIso(row.started_at)).getTime()
      : now.getTime();
    await this.db('workflow_runs')
      .where({ run_id: runId })
      .update({
        ...values,
        finished_at: now,
        updated_at: now,
        duration_ms: Math.max(0, now.getTime() - startedMs),
      });
  }

  private async touch(runId: string): Promise<void> {
    await this.db('workflow_runs')
      .where({ run_id: runId })
      .update({ updated_at: new Date() });
  }

  async runSucceeded(runId: string): Promise<void> {
    await this.finish(runId, { status: 'succeeded' });
  }

  async runFailed(
    runId: string,
    workflowId: string,
    failure: { failedStep: string | null; error: string },
  ): Promise<void> {
    await this.runStarted(runId, workflowId);
    const grouping = failureColumns({
      workflowId,
      status: 'failed',
      failedStep: failure.failedStep,
      error: failure.error,
      failedAt: new Date(),
    });
    await this.finish(runId, {
      status: 'failed',
      failed_step: failure.failedStep,
      error: failure.error,
      ...grouping,
    });
    // The sync may have mirrored the run's DLQ entry first: it joins this group.
    await this.db('workflow_dlq_entries')
      .where({ run_id: runId })
      .update({ run_known: true, failure_group: grouping.failure_group });
  }

  async stepStarted(event: {
    runId: string;
    workflowId: string;
    stepName: string;
    attempt: number;
  }): Promise<number> {
    const [row] = await this.db('workflow_step_events')
      .insert({
        run_id: event.runId,
        workflow_id: event.workflowId,
        step_name: event.stepName,
        status: 'running',
        attempt: event.attempt,
        started_at: new Date(),
      })
      .returning('id');
    await this.touch(event.runId);
    return Number(typeof row === 'object' ? row.id : row);
  }

  async stepFinished(
    runId: string,
    id: number,
    startedAt: number,
    result:
      | { status: Extract<RunStatus, 'succeeded'>; output: unknown }
      | { status: 'failed'; error: string },
  ): Promise<void> {
    const finishedAt = Date.now();
    await this.db('workflow_step_events')
      .where({ id })
      .update({
        status: result.status,
        finished_at: new Date(finishedAt),
        duration_ms: finishedAt - startedAt,
        output_summary:
          result.status === 'succeeded' ? summarizeOutput(result.output) : null,
        error_message: result.status === 'failed' ? result.error : null,
      });
    if (result.status === 'succeeded') {
      // Steps finished so far, for lists; the sync may later count the same.
      const [{ n }] = await this.db('workflow_step_events')
        .where({ run_id: runId, status: 'succeeded' })
        .countDistinct({ n: 'step_name' });
      await this.db('workflow_runs')
        .where({ run_id: runId })
        .where('step_count', '<', Number(n))
        .update({ step_count: Number(n) });
    }
    await this.touch(runId);
  }

  async lastFailedStep(runId: string): Promise<string | null> {
    const row = await this.db('workflow_step_events')
      .where({ run_id: runId, status: 'failed' })
      .orderBy('id', 'desc')
      .first('step_name');
    return row?.step_name ?? null;
  }
}
