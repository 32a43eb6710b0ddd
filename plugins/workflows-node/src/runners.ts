import {
  createExtensionPoint,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  Client as WorkflowClient,
  WorkflowContext,
} from '@upstash/workflow';
import type { EnvVarDeclaration, HealthProbe } from './health';

/** The schedule a runner is created with; operators may change it later. */
export interface RunnerSchedule {
  /** Five-field cron expression. */
  cron: string;
  /** IANA time zone the cron is read in, default UTC. */
  timezone?: string;
}

/** What the host gives a runner besides the workflow context. */
export interface RunnerServices {
  /** The public URL QStash calls for a runner id (this one or another). */
  urlOf(runnerId: string): string;
  /** Starts other workflows (`client.trigger`). */
  workflowClient: WorkflowClient;
  logger: LoggerService;
}

/** What a run that exhausted its retries tells the runner. */
export interface RunnerFailure {
  workflowRunId: string;
  failStatus: number;
  failResponse: string;
  /** The step that failed last, when the journal knows it. */
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
  /**
   * The variables with what their values must look like. A name in
   * `requiredEnv` without an entry here is checked for presence only.
   */
  envVars?: EnvVarDeclaration[];
  /**
   * Live checks of what the runner depends on. One with the id of a check the
   * host makes itself (e.g. `database`) takes that check's place.
   */
  healthProbes?: HealthProbe[];
  run(
    context: WorkflowContext<TPayload>,
    services: RunnerServices,
  ): Promise<unknown>;
  /** Called once a run has failed for good, after the host recorded it. */
  onFailure?(failure: RunnerFailure, services: RunnerServices): Promise<void>;
}

/** Lets backend modules add runners to the workflows plugin. */
export interface WorkflowsRunnersExtensionPoint {
  addRunner<TPayload>(runner: WorkflowRunner<TPayload>): void;
}

/** @public */
export const workflowsRunnersExtensionPoint =
  createExtensionPoint<WorkflowsRunnersExtensionPoint>({
    id: 'workflows.runners',
  });
