import type { RunStatus, StepState } from '@internal/plugin-workflows-common';
import { createHash } from 'node:crypto';
import type { SyncedRun, SyncedStep } from '../database/RunStore';
import type {
  QStashStep,
  QStashStepError,
  QStashWorkflowRun,
} from '../qstash/QStashGateway';

/** QStash spells the cancelled state both ways; anything unknown is still running. */
export function runStatusOf(workflowState: string): RunStatus {
  switch (workflowState) {
    case 'RUN_SUCCESS':
      return 'succeeded';
    case 'RUN_FAILED':
      return 'failed';
    case 'RUN_CANCELED':
    case 'RUN_CANCELLED':
      return 'cancelled';
    default:
      return 'running';
  }
}

function frontierState(state: string | undefined): StepState {
  switch (state) {
    case 'STEP_RETRY':
      return 'retrying';
    case 'STEP_FAILED':
      return 'failed';
    case 'STEP_CANCELED':
    case 'STEP_CANCELLED':
      return 'cancelled';
    case 'STEP_SUCCESS':
      return 'succeeded';
    default:
      return 'running';
  }
}

/** "HTTP 500: Telegram refused ..." from a delivery attempt's error. */
export function describeStepError(error: QStashStepError): string {
  const parts = [
    error.status ? `HTTP ${error.status}` : undefined,
    error.error,
    error.body && error.body !== error.error ? error.body : undefined,
  ].filter(Boolean);
  return parts.join(': ') || 'failed without details';
}

/** A stable hash of what QStash reported: an unchanged run is not rewritten. */
export function fingerprintOf(run: QStashWorkflowRun): string {
  return createHash('sha256').update(JSON.stringify(run)).digest('hex');
}

/**
 * QStash's view of a run as we store it. QStash stamps a step when its result
 * arrived, so a step is taken to start when the group before it finished.
 */
export function mapQStashRun(
  workflowId: string,
  run: QStashWorkflowRun,
): SyncedRun {
  const status = runStatusOf(run.workflowState);
  const steps: SyncedStep[] = [];
  let previousFinished = run.workflowRunCreatedAt;
  let lastPosition = -1;
  let failedStep: string | null = null;
  let error: string | null = null;

  (run.steps ?? []).forEach((group, groupIndex) => {
    if (group.type === 'next') {
      for (const step of group.steps) {
        const state =
          status === 'cancelled' ? 'cancelled' : frontierState(step.state);
        const errors = step.errors ?? [];
        const lastError = errors.length
          ? describeStepError(errors[errors.length - 1])
          : null;
        lastPosition += 1;
        const name = step.stepName ?? 'next step';
        steps.push({
          position: lastPosition,
          group: 'next',
          groupIndex,
          name,
          type: step.stepType ?? 'Run',
          state,
          attempts: errors.length + (state === 'running' ? 1 : 0),
          startedAt: new Date(step.createdAt ?? previousFinished),
          finishedAt: null,
          durationMs: null,
          output: null,
          error: lastError,
        });
        if (lastError) {
          failedStep = step.stepName ?? failedStep;
          error = lastError;
        }
      }
      return;
    }
    let groupFinished = previousFinished;
    for (const step of group.steps as QStashStep[]) {
      const position = step.stepId ?? lastPosition + 1;
      lastPosition = Math.max(lastPosition, position);
      const finishedAt = step.createdAt ?? previousFinished;
      groupFinished = Math.max(groupFinished, finishedAt);
      const isInitial = step.stepType === 'Initial';
      steps.push({
        position,
        group: group.type === 'parallel' ? 'parallel' : 'sequential',
        groupIndex,
        name: isInitial
          ? 'Initial payload'
          : step.stepName ?? `step ${position}`,
        type: step.stepType ?? 'Run',
        state: 'succeeded',
        attempts: 1,
        startedAt: new Date(isInitial ? finishedAt : previousFinished),
        finishedAt: new Date(finishedAt),
        durationMs: isInitial ? 0 : Math.max(0, finishedAt - previousFinished),
        output: step.out ?? null,
        error: null,
      });
    }
    previousFinished = groupFinished;
  });

  if (status === 'failed' && !error) {
    error = run.workflowRunResponse ?? 'The run failed';
  }
  return {
    runId: run.workflowRunId,
    workflowId,
    status,
    startedAt: new Date(run.workflowRunCreatedAt),
    finishedAt:
      run.workflowRunCompletedAt !== undefined && status !== 'running'
        ? new Date(run.workflowRunCompletedAt)
        : null,
    label: run.label ?? run.labels?.[0] ?? null,
    dlqId: run.dlqId ?? null,
    failedStep: status === 'succeeded' ? null : failedStep,
    error: status === 'succeeded' ? null : error,
    steps,
  };
}
