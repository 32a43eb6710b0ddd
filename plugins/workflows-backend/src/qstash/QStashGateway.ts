import type { Client as QStashClient } from '@upstash/qstash';
import type { Client as WorkflowClient } from '@upstash/workflow';

/** A failed delivery attempt of a step, as QStash's workflow logs show it. */
export interface QStashStepError {
  error?: string;
  body?: string;
  status?: number;
  time?: number;
}

/** One step of a run in QStash's workflow logs (fields vary by step type). */
export interface QStashStep {
  stepId?: number;
  stepName?: string;
  stepType?: string;
  callType?: string;
  messageId?: string;
  /** STEP_SUCCESS, STEP_PROGRESS, STEP_RETRY, STEP_FAILED, STEP_CANCELED (open string). */
  state?: string;
  createdAt?: number;
  retries?: number;
  concurrent?: number;
  out?: string;
  errors?: QStashStepError[];
}

export interface QStashStepGroup {
  type: 'sequential' | 'parallel' | 'next' | string;
  steps: QStashStep[];
}

/** One workflow run in QStash's workflow logs. */
export interface QStashWorkflowRun {
  workflowRunId: string;
  workflowUrl: string;
  /** RUN_STARTED, RUN_SUCCESS, RUN_FAILED, RUN_CANCELED (open string). */
  workflowState: string;
  workflowRunCreatedAt: number;
  workflowRunCompletedAt?: number;
  workflowRunResponse?: string;
  dlqId?: string;
  label?: string;
  labels?: string[];
  steps?: QStashStepGroup[];
}

export interface WorkflowRunsPage {
  runs: QStashWorkflowRun[];
  /** Absent on the last page. */
  cursor?: string;
}

export interface ListWorkflowRunsQuery {
  workflowUrl: string;
  /** Only this run. */
  workflowRunId?: string;
  cursor?: string;
  count?: number;
}

export interface TriggerWorkflowRequest {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  label?: string;
}

export interface QStashScheduleDefinition {
  scheduleId: string;
  destination: string;
  /** With the CRON_TZ= prefix when not UTC. */
  cron: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface QStashSchedule {
  scheduleId: string;
  destination: string;
  cron: string;
  isPaused?: boolean;
}

/**
 * The only code that talks to QStash. It follows cursors, backs off on 429,
 * retries 5xx a bounded number of times, maps errors to `@backstage/errors`
 * and refuses an empty id where the same path would act on everything.
 */
export interface QStashGateway {
  /** One page of a workflow URL's runs, newest first. */
  listWorkflowRuns(query: ListWorkflowRunsQuery): Promise<WorkflowRunsPage>;
  triggerWorkflow(
    request: TriggerWorkflowRequest,
  ): Promise<{ workflowRunId: string }>;
  cancelWorkflowRun(workflowRunId: string): Promise<void>;
  listSchedules(): Promise<QStashSchedule[]>;
  upsertSchedule(definition: QStashScheduleDefinition): Promise<void>;
  /**
   * The SDK clients, for `serve()` and the runners' own calls: built once,
   * here, so nothing else constructs them.
   */
  sdkClients(): { qstash: QStashClient; workflow: WorkflowClient };
}
