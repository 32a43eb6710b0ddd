import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { WorkflowContext } from '@upstash/workflow';

/** The schedule a runner is created with; operators may change it later. */
export interface RunnerSchedule {
  /** Five-field cron expression. */
  cron: string;
  /** IANA time zone the cron is read in, default UTC. */
  timezone?: string;
}

/** What a failed run tells its runner's failure handler. */
export interface RunnerFailure {
  workflowRunId: string;
  failStatus: number;
  failResponse: string;
  failedStepName?: string;
}

/**
 * A workflow hosted by the portal's backend and served with `@upstash/workflow`.
 * The body runs again from the top on every QStash call: keep every side
 * effect and every read that may change inside `context.run` steps.
 */
export interface WorkflowRunner<TPayload = unknown> {
  /** URL-safe id, also the last path segment of the runner endpoint. */
  id: string;
  title: string;
  description: string;
  /** Catalog entity ref of the owning team. */
  owner: string;
  schedule?: RunnerSchedule;
  /** Names of the environment variables this runner reads. */
  requiredEnv?: string[];
  run(context: WorkflowContext<TPayload>): Promise<unknown>;
  onFailure?(
    context: Omit<WorkflowContext<TPayload>, 'run' | 'sleep' | 'sleepUntil' | 'call' | 'waitForEvent' | 'notify' | 'invoke'>,
    failure: RunnerFailure,
  ): Promise<void>;
}

/** Lets backend modules add runners to the workflows plugin. */
export interface WorkflowsRunnersExtensionPoint {
  addRunner(runner: WorkflowRunner<any>): void;
}

/** @public */
export const workflowsRunnersExtensionPoint =
  createExtensionPoint<WorkflowsRunnersExtensionPoint>({
    id: 'workflows.runners',
  });
