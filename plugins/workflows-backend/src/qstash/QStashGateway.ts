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

/** QStash's flow control of a message: at most `parallelism` at once, `rate` per `period`. */
export interface QStashFlowControl {
  key: string;
  parallelism?: number;
  rate?: number;
  /** Seconds. */
  period?: number;
}

/** Everything one create-or-replace of a schedule sends. */
export interface QStashScheduleDefinition {
  scheduleId: string;
  destination: string;
  /** With the CRON_TZ= prefix when not UTC. */
  cron: string;
  method?: string;
  body?: string;
  /**
   * The headers the destination receives: Content-Type as itself, the others
   * forwarded (`Upstash-Forward-<Name>`).
   */
  headers?: Record<string, string>;
  /** Omitted: QStash's default. */
  retries?: number;
  timeoutSeconds?: number;
  callback?: string;
  failureCallback?: string;
  /** Settings the portal does not edit, carried over so a save keeps them. */
  delaySeconds?: number;
  labels?: string[];
  retryDelay?: string;
  flowControl?: QStashFlowControl;
}

/** A schedule as `GET /v2/schedules` returns it (timeout is never returned). */
export interface QStashSchedule {
  scheduleId: string;
  destination: string;
  cron: string;
  method?: string;
  /** Content-Type and forwarded headers; values may read `REDACTED:<hash>`. */
  header?: Record<string, string[]>;
  body?: string;
  /** Instead of `body` when the body is not UTF-8. */
  bodyBase64?: string;
  retries?: number;
  /** Seconds. */
  delay?: number;
  callback?: string;
  failureCallback?: string;
  isPaused?: boolean;
  createdAt?: number;
  lastScheduleTime?: number;
  nextScheduleTime?: number;
  /** Message id to IN_PROGRESS, SUCCESS or FAIL (open string). */
  lastScheduleStates?: Record<string, string>;
  label?: string;
  labels?: string[];
  retryDelayExpression?: string;
  flowControlKey?: string;
  parallelism?: number;
  rate?: number;
  period?: number;
}

/** Which dead letter queue: workflow runs, or plain messages (schedules, publishes). */
export type QStashDlqSource = 'workflow' | 'message';

/** One entry of either dead letter queue, as QStash lists it (fields vary by queue). */
export interface QStashDlqEntry {
  dlqId: string;
  messageId?: string;
  /** Where the failed delivery went. */
  url?: string;
  workflowUrl?: string;
  workflowRunId?: string;
  workflowCreatedAt?: number;
  /** When the entry was written (ms). */
  createdAt?: number;
  scheduleId?: string;
  label?: string;
  labels?: string[];
  failureFunctionState?: string;
  responseStatus?: number;
  responseHeader?: Record<string, string[]>;
  responseBody?: string;
  responseBodyBase64?: string;
}

export interface DlqPage {
  entries: QStashDlqEntry[];
  /** Absent on the last page. */
  cursor?: string;
}

export interface ListDlqQuery {
  cursor?: string;
  /** Entries written at or after this time (ms). */
  fromDate?: number;
  count?: number;
}

/** A DLQ operation QStash offers in bulk (explicit ids) and on one entry. */
export type DlqBulkAction = 'resume' | 'restart' | 'delete' | 'redeliver';

export interface DlqBulkResult {
  /** Runs started by a resume or restart, in the order of the ids given. */
  workflowRunIds: string[];
  /** Entries QStash reports as handled. */
  handled: number;
}

/** The keys QStash signs deliveries with now (`GET /v2/keys`): secrets. */
export interface QStashSigningKeys {
  current: string;
  next: string;
}

/** For the health probes: one attempt, ended early by `signal`. */
export interface QStashProbeOptions {
  signal?: AbortSignal;
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
  /** NotFoundError when QStash has no schedule with this id. */
  getSchedule(scheduleId: string): Promise<QStashSchedule>;
  /** Creates the schedule, or replaces the one with the same id. */
  upsertSchedule(definition: QStashScheduleDefinition): Promise<void>;
  deleteSchedule(scheduleId: string): Promise<void>;
  pauseSchedule(scheduleId: string): Promise<void>;
  resumeSchedule(scheduleId: string): Promise<void>;
  /** One page of a dead letter queue, oldest first. */
  listDlq(source: QStashDlqSource, query: ListDlqQuery): Promise<DlqPage>;
  /**
   * One bulk call on explicit entries of one queue (at most the API's page
   * size). Refuses an empty list: an empty filter acts on every entry.
   */
  dlqBulk(
    source: QStashDlqSource,
    action: DlqBulkAction,
    dlqIds: string[],
    options?: { retries?: number },
  ): Promise<DlqBulkResult>;
  /**
   * Whether the entry is still in the queue (a read). Bulk answers count
   * what they did without naming it, so unknown ids are found beforehand.
   */
  dlqExists(source: QStashDlqSource, dlqId: string): Promise<boolean>;
  /** The same on one entry: its own error when it fails. */
  dlqOne(
    source: QStashDlqSource,
    action: DlqBulkAction | 'retry-failure-function',
    dlqId: string,
    options?: { retries?: number },
  ): Promise<{ workflowRunId?: string }>;
  /**
   * An authenticated read (the schedule list) that proves the token works;
   * resolves to the number of schedules.
   */
  checkToken(options?: QStashProbeOptions): Promise<{ schedules: number }>;
  /** The signing keys QStash uses now, to compare with the configured ones. */
  getSigningKeys(options?: QStashProbeOptions): Promise<QStashSigningKeys>;
  /**
   * The SDK clients, for `serve()` and the runners' own calls: built once,
   * here, so nothing else constructs them.
   */
  sdkClients(): { qstash: QStashClient; workflow: WorkflowClient };
}
