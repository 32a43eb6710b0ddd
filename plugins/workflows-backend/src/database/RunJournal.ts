import type {
  RunStatus,
  StepEvent,
  WorkflowRun,
} from '@internal/plugin-workflows-common';
import { Knex } from 'knex';

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

function iso(value: Date | string | number | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
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
      })
      .onConflict('run_id')
      .ignore();
  }

  async runSucceeded(runId: string): Promise<void> {
    await this.db('workflow_runs')
      .where({ run_id: runId })
      .update({ status: 'succeeded', finished_at: new Date() });
  }

  async runFailed(
    runId: string,
    workflowId: string,
    failure: { failedStep: string | null; error: string },
  ): Promise<void> {
    await this.runStarted(runId, workflowId);
    await this.db('workflow_runs').where({ run_id: runId }).update({
      status: 'failed',
      finished_at: new Date(),
      failed_step: failure.failedStep,
      error: failure.error,
    });
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
    return Number(typeof row === 'object' ? row.id : row);
  }

  async stepFinished(
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
  }

  async lastFailedStep(runId: string): Promise<string | null> {
    const row = await this.db('workflow_step_events')
      .where({ run_id: runId, status: 'failed' })
      .orderBy('id', 'desc')
      .first('step_name');
    return row?.step_name ?? null;
  }

  async getRun(runId: string): Promise<WorkflowRun | undefined> {
    const row = await this.db('workflow_runs').where({ run_id: runId }).first();
    if (!row) return undefined;
    return {
      runId: row.run_id,
      workflowId: row.workflow_id,
      status: row.status,
      startedAt: iso(row.started_at)!,
      finishedAt: iso(row.finished_at),
      failedStep: row.failed_step,
      error: row.error,
    };
  }

  async listSteps(runId: string): Promise<StepEvent[]> {
    const rows = await this.db('workflow_step_events')
      .where({ run_id: runId })
      .orderBy('id');
    return rows.map(row => ({
      id: Number(row.id),
      runId: row.run_id,
      workflowId: row.workflow_id,
      stepName: row.step_name,
      status: row.status,
      attempt: Number(row.attempt),
      startedAt: iso(row.started_at)!,
      finishedAt: iso(row.finished_at),
      durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
      outputSummary: row.output_summary,
      errorMessage: row.error_message,
    }));
  }

  async listRuns(workflowId: string, limit = 50): Promise<WorkflowRun[]> {
    const rows = await this.db('workflow_runs')
      .where({ workflow_id: workflowId })
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(row => ({
      runId: row.run_id,
      workflowId: row.workflow_id,
      status: row.status,
      startedAt: iso(row.started_at)!,
      finishedAt: iso(row.finished_at),
      failedStep: row.failed_step,
      error: row.error,
    }));
  }
}
