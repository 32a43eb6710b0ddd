import {
  CallbackConfig,
  FlowControl,
  MessageConfig,
} from '../config/messageConfig';
import { SqliteDatabase } from './database';
import { DeadLetterFilter, whereDeadLetterMatches } from './dlqStore';
import { Page, pageOf } from './page';
import { statementCache } from './statementCache';
import { WhereBuilder } from './where';

export const RUN_STATES = [
  'RUN_STARTED',
  'RUN_SUCCESS',
  'RUN_FAILED',
  'RUN_CANCELED',
] as const;
export type RunState = (typeof RUN_STATES)[number];

/** Settings given when the run was started; later step messages inherit them. */
export interface RunConfig {
  retries?: number;
  retryDelayExpression?: string;
  flowControl?: FlowControl;
  failureCallback?: CallbackConfig;
  contentType?: string;
  /** Headers of the start request, sent again with every step. */
  userHeaders: Array<[string, string]>;
  initMessageId: string;
}

/** A failed delivery attempt as the workflow logs show it. */
export interface StepError {
  error: string;
  body: string;
  headers: Record<string, string[]>;
  status: number;
  time: number;
}

export type FailureCallbackState =
  | 'CALLBACK_INPROGRESS'
  | 'CALLBACK_SUCCESS'
  | 'CALLBACK_FAIL'
  | 'CALLBACK_CANCELED';

export interface FailureFunctionInfo {
  messageId: string;
  url: string;
  state: FailureCallbackState;
  failHeaders: Record<string, string[]>;
  failStatus: number;
  failResponse: string;
  dlqId: string;
  maxRetries: number;
  errors: StepError[];
  responseStatus?: number;
  responseBody?: string;
  responseHeaders?: Record<string, string[]>;
  nextDeliveryTime?: number;
}

export interface StoredRun {
  runKey: number;
  runId: string;
  workflowUrl: string;
  state: RunState;
  createdAt: number;
  completedAt?: number;
  initialBody: Buffer;
  config: RunConfig;
  response?: string;
  dlqId?: string;
  failureFunction?: FailureFunctionInfo;
  callerIp: string;
  labels: string[];
  flowControlKey?: string;
}

export type WorkflowMessageState =
  | 'pending'
  | 'active'
  | 'retry'
  | 'delivered'
  | 'failed'
  | 'cancelled';

/** A message that belongs to a run, in the order the run received it. */
export interface StoredWorkflowMessage {
  runKey: number;
  seq: number;
  messageId: string;
  callType: 'step' | 'toCallback' | 'fromCallback';
  /** The SDK's step id this message carries or serves, when known. */
  stepId?: number;
  body: Buffer;
  createdAt: number;
  deliveryState: WorkflowMessageState;
  maxRetries: number;
  errors: StepError[];
  nextDeliveryAt?: number;
  errorStepName?: string;
  /** The message as published, so a resumed run can send it again. */
  config: MessageConfig;
}

/** The step a waiter stands for, as the SDK sent it with `/v2/wait`. */
export interface WaitStep {
  stepId: number;
  stepName: string;
  stepType: string;
  concurrent: number;
  targetStep?: number;
}

/** A step waiting in `context.waitForEvent` for its event or its timeout. */
export interface StoredWaiter {
  waiterKey: number;
  runKey: number;
  eventId: string;
  stepId: number;
  /** The id the continuation message gets when the wait ends. */
  messageId: string;
  createdAt: number;
  /** Unix ms when the wait times out. */
  deadline: number;
  details: WaiterDetails;
}

export interface WaiterDetails {
  url: string;
  /** The `Upstash-*` headers of the wait request, as the API shows them. */
  headers: Record<string, string[]>;
  timeoutUrl: string;
  timeoutHeaders: Record<string, string[]>;
  /** Base64, as the SDK sends it. */
  timeoutBody?: string;
  /** The timeout as the SDK wrote it (`"7d"`, `300`). */
  timeoutText: string;
  step: WaitStep;
  /** The continuation message when notified, and when timed out. */
  notifyConfig: MessageConfig;
  timeoutConfig: MessageConfig;
  callerIp: string;
}

/** A notification kept for a run that was not waiting for it yet. */
export interface StoredNotification {
  position: number;
  runKey: number;
  eventId: string;
  messageId: string;
  data: Buffer;
  createdAt: number;
}

export interface RunFilter {
  runIds?: string[];
  workflowUrls?: string[];
  workflowUrlPrefixes?: string[];
  createdAt?: number;
  states?: string[];
  fromDate?: number;
  toDate?: number;
  labels?: string[];
  flowControlKeys?: string[];
  callerIps?: string[];
}

export interface WorkflowDlqEntry {
  dlqId: string;
  runKey: number;
  messageId: string;
  createdAt: number;
  workflowRunId: string;
  workflowUrl: string;
  workflowCreatedAt: number;
  labels: string[];
  flowControlKey?: string;
  callerIp: string;
  responseStatus?: number;
  responseHeader?: Record<string, string[]>;
  responseBody?: Buffer;
  message: {
    url: string;
    method: string;
    header: Record<string, string[]>;
    maxRetries: number;
    createdAt: number;
    notBefore: number;
  };
  body: Buffer;
}

export interface WorkflowDlqFilter extends DeadLetterFilter {
  workflowUrls?: string[];
  runIds?: string[];
  workflowCreatedAt?: number;
  failureFunctionStates?: string[];
}

interface RunRow {
  run_key: number;
  run_id: string;
  workflow_url: string;
  state: RunState;
  created_at: number;
  completed_at: number | null;
  initial_body: Buffer;
  config: string;
  response: string | null;
  dlq_id: string | null;
  failure_function: string | null;
  caller_ip: string;
  labels: string;
  flow_control_key: string | null;
}

interface WorkflowMessageRow {
  run_key: number;
  seq: number;
  message_id: string;
  call_type: StoredWorkflowMessage['callType'];
  step_id: number | null;
  body: Buffer;
  created_at: number;
  delivery_state: WorkflowMessageState;
  max_retries: number;
  errors: string;
  next_delivery_at: number | null;
  error_step_name: string | null;
  config: string;
}

interface WorkflowDlqRow {
  position: number;
  dlq_id: string;
  run_key: number;
  message_id: string;
  created_at: number;
  workflow_run_id: string;
  workflow_url: string;
  workflow_created_at: number;
  labels: string;
  flow_control_key: string | null;
  caller_ip: string;
  response_status: number | null;
  response_header: string | null;
  response_body: Buffer | null;
  message: string;
  body: Buffer;
}

interface WaiterRow {
  waiter_key: number;
  run_key: number;
  event_id: string;
  step_id: number;
  message_id: string;
  created_at: number;
  deadline: number;
  details: string;
}

interface NotificationRow {
  position: number;
  run_key: number;
  event_id: string;
  message_id: string;
  data: Buffer;
  created_at: number;
}

function waiterFromRow(row: WaiterRow): StoredWaiter {
  return {
    waiterKey: row.waiter_key,
    runKey: row.run_key,
    eventId: row.event_id,
    stepId: row.step_id,
    messageId: row.message_id,
    createdAt: row.created_at,
    deadline: row.deadline,
    details: JSON.parse(row.details) as WaiterDetails,
  };
}

function notificationFromRow(row: NotificationRow): StoredNotification {
  return {
    position: row.position,
    runKey: row.run_key,
    eventId: row.event_id,
    messageId: row.message_id,
    data: row.data,
    createdAt: row.created_at,
  };
}

function runFromRow(row: RunRow): StoredRun {
  return {
    runKey: row.run_key,
    runId: row.run_id,
    workflowUrl: row.workflow_url,
    state: row.state,
    createdAt: row.created_at,
    completedAt: row.completed_at ?? undefined,
    initialBody: row.initial_body,
    config: JSON.parse(row.config) as RunConfig,
    response: row.response ?? undefined,
    dlqId: row.dlq_id ?? undefined,
    failureFunction: row.failure_function
      ? (JSON.parse(row.failure_function) as FailureFunctionInfo)
      : undefined,
    callerIp: row.caller_ip,
    labels: JSON.parse(row.labels) as string[],
    flowControlKey: row.flow_control_key ?? undefined,
  };
}

function messageFromRow(row: WorkflowMessageRow): StoredWorkflowMessage {
  return {
    runKey: row.run_key,
    seq: row.seq,
    messageId: row.message_id,
    callType: row.call_type,
    stepId: row.step_id ?? undefined,
    body: row.body,
    createdAt: row.created_at,
    deliveryState: row.delivery_state,
    maxRetries: row.max_retries,
    errors: JSON.parse(row.errors) as StepError[],
    nextDeliveryAt: row.next_delivery_at ?? undefined,
    errorStepName: row.error_step_name ?? undefined,
    config: JSON.parse(row.config) as MessageConfig,
  };
}

function dlqFromRow(row: WorkflowDlqRow): WorkflowDlqEntry {
  return {
    dlqId: row.dlq_id,
    runKey: row.run_key,
    messageId: row.message_id,
    createdAt: row.created_at,
    workflowRunId: row.workflow_run_id,
    workflowUrl: row.workflow_url,
    workflowCreatedAt: row.workflow_created_at,
    labels: JSON.parse(row.labels) as string[],
    flowControlKey: row.flow_control_key ?? undefined,
    callerIp: row.caller_ip,
    responseStatus: row.response_status ?? undefined,
    responseHeader: row.response_header
      ? (JSON.parse(row.response_header) as Record<string, string[]>)
      : undefined,
    responseBody: row.response_body ?? undefined,
    message: JSON.parse(row.message) as WorkflowDlqEntry['message'],
    body: row.body,
  };
}

export class WorkflowStore {
  private readonly prepare: ReturnType<typeof statementCache>;
  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  createRun(run: Omit<StoredRun, 'runKey'>): number {
    const result = this.prepare(
      `INSERT INTO workflow_runs (run_id, workflow_url, state, created_at, completed_at,
          initial_body, config, response, dlq_id, failure_function, caller_ip, labels,
          flow_control_key)
         VALUES (@runId, @workflowUrl, @state, @createdAt, NULL, @initialBody, @config,
          NULL, NULL, NULL, @callerIp, @labels, @flowControlKey)`,
    ).run({
      runId: run.runId,
      workflowUrl: run.workflowUrl,
      state: run.state,
      createdAt: run.createdAt,
      initialBody: run.initialBody,
      config: JSON.stringify(run.config),
      callerIp: run.callerIp,
      labels: JSON.stringify(run.labels),
      flowControlKey: run.flowControlKey ?? null,
    });
    return Number(result.lastInsertRowid);
  }

  getRun(runKey: number): StoredRun | undefined {
    const row = this.prepare(
      'SELECT * FROM workflow_runs WHERE run_key = ?',
    ).get(runKey) as RunRow | undefined;
    return row ? runFromRow(row) : undefined;
  }

  /** The newest run with this id, whatever its state. */
  latestRun(runId: string): StoredRun | undefined {
    const row = this.prepare(
      'SELECT * FROM workflow_runs WHERE run_id = ? ORDER BY run_key DESC LIMIT 1',
    ).get(runId) as RunRow | undefined;
    return row ? runFromRow(row) : undefined;
  }

  activeRun(runId: string): StoredRun | undefined {
    const run = this.latestRun(runId);
    return run?.state === 'RUN_STARTED' ? run : undefined;
  }

  finishRun(
    runKey: number,
    state: RunState,
    completedAt: number,
    response?: string,
  ): void {
    this.prepare(
      'UPDATE workflow_runs SET state = ?, completed_at = ?, response = ? WHERE run_key = ?',
    ).run(state, completedAt, response ?? null, runKey);
    // A run that ended waits for nothing any more.
    this.prepare('DELETE FROM workflow_waiters WHERE run_key = ?').run(runKey);
    this.prepare(
      'DELETE FROM workflow_event_notifications WHERE run_key = ?',
    ).run(runKey);
  }

  /** Records which message started a run (restarts send a new one). */
  setInitMessage(runKey: number, messageId: string): void {
    const run = this.getRun(runKey);
    if (!run) return;
    this.prepare('UPDATE workflow_runs SET config = ? WHERE run_key = ?').run(
      JSON.stringify({ ...run.config, initMessageId: messageId }),
      runKey,
    );
  }

  setDlqId(runKey: number, dlqId: string | undefined): void {
    this.prepare('UPDATE workflow_runs SET dlq_id = ? WHERE run_key = ?').run(
      dlqId ?? null,
      runKey,
    );
  }

  setFailureFunction(
    runKey: number,
    info: FailureFunctionInfo | undefined,
  ): void {
    this.prepare(
      'UPDATE workflow_runs SET failure_function = ? WHERE run_key = ?',
    ).run(info ? JSON.stringify(info) : null, runKey);
  }

  /** Newest first, continuing below the cursor. */
  listRuns(filter: RunFilter, count: number, cursor?: number): StoredRun[] {
    const where = new WhereBuilder()
      .anyOf('run_id', filter.runIds)
      .anyOf('workflow_url', filter.workflowUrls)
      .startsWithAny('workflow_url', filter.workflowUrlPrefixes)
      .equals('created_at', filter.createdAt)
      .anyOf('state', filter.states)
      .anyOf('flow_control_key', filter.flowControlKeys)
      .anyOf('caller_ip', filter.callerIps)
      .hasAnyLabel('labels', filter.labels)
      .atLeast('created_at', filter.fromDate)
      .atMost('created_at', filter.toDate)
      .below('run_key', cursor);
    const rows = this.prepare(
      `SELECT * FROM workflow_runs ${where.sql} ORDER BY run_key DESC LIMIT ?`,
    ).all(...where.params, count) as RunRow[];
    return rows.map(runFromRow);
  }

  addMessage(message: StoredWorkflowMessage): void {
    this.prepare(
      `INSERT INTO workflow_messages (run_key, seq, message_id, call_type, step_id, body,
          created_at, delivery_state, max_retries, errors, next_delivery_at,
          error_step_name, config)
         VALUES (@runKey, @seq, @messageId, @callType, @stepId, @body, @createdAt, @deliveryState,
          @maxRetries, @errors, @nextDeliveryAt, @errorStepName, @config)`,
    ).run({
      ...message,
      stepId: message.stepId ?? null,
      errors: JSON.stringify(message.errors),
      nextDeliveryAt: message.nextDeliveryAt ?? null,
      errorStepName: message.errorStepName ?? null,
      config: JSON.stringify(message.config),
    });
  }

  nextSeq(runKey: number): number {
    const row = this.prepare(
      'SELECT MAX(seq) AS last FROM workflow_messages WHERE run_key = ?',
    ).get(runKey) as { last: number | null };
    return (row.last ?? -1) + 1;
  }

  messages(runKey: number): StoredWorkflowMessage[] {
    const rows = this.prepare(
      'SELECT * FROM workflow_messages WHERE run_key = ? ORDER BY seq',
    ).all(runKey) as WorkflowMessageRow[];
    return rows.map(messageFromRow);
  }

  message(runKey: number, seq: number): StoredWorkflowMessage | undefined {
    const row = this.prepare(
      'SELECT * FROM workflow_messages WHERE run_key = ? AND seq = ?',
    ).get(runKey, seq) as WorkflowMessageRow | undefined;
    return row ? messageFromRow(row) : undefined;
  }

  updateMessage(
    runKey: number,
    seq: number,
    changes: Partial<
      Pick<
        StoredWorkflowMessage,
        'deliveryState' | 'errors' | 'nextDeliveryAt' | 'errorStepName'
      >
    >,
  ): void {
    const current = this.message(runKey, seq);
    if (!current) return;
    const next = { ...current, ...changes };
    this.prepare(
      `UPDATE workflow_messages SET delivery_state = ?, errors = ?, next_delivery_at = ?,
          error_step_name = ? WHERE run_key = ? AND seq = ?`,
    ).run(
      next.deliveryState,
      JSON.stringify(next.errors),
      next.nextDeliveryAt ?? null,
      next.errorStepName ?? null,
      runKey,
      seq,
    );
  }

  insertDlq(entry: WorkflowDlqEntry): void {
    this.prepare(
      `INSERT INTO workflow_dlq (dlq_id, run_key, message_id, created_at, workflow_run_id,
          workflow_url, workflow_created_at, labels, flow_control_key, caller_ip,
          response_status, response_header, response_body, message, body)
         VALUES (@dlqId, @runKey, @messageId, @createdAt, @workflowRunId, @workflowUrl,
          @workflowCreatedAt, @labels, @flowControlKey, @callerIp, @responseStatus,
          @responseHeader, @responseBody, @message, @body)`,
    ).run({
      ...entry,
      labels: JSON.stringify(entry.labels),
      flowControlKey: entry.flowControlKey ?? null,
      responseStatus: entry.responseStatus ?? null,
      responseHeader: entry.responseHeader
        ? JSON.stringify(entry.responseHeader)
        : null,
      responseBody: entry.responseBody ?? null,
      message: JSON.stringify(entry.message),
    });
  }

  getDlq(dlqId: string): WorkflowDlqEntry | undefined {
    const row = this.prepare('SELECT * FROM workflow_dlq WHERE dlq_id = ?').get(
      dlqId,
    ) as WorkflowDlqRow | undefined;
    return row ? dlqFromRow(row) : undefined;
  }

  deleteDlq(dlqId: string): boolean {
    return (
      this.prepare('DELETE FROM workflow_dlq WHERE dlq_id = ?').run(dlqId)
        .changes === 1
    );
  }

  /** Newest first, continuing below the cursor; returns one extra row to detect more. */
  listDlq(
    filter: WorkflowDlqFilter,
    count: number,
    cursor?: number,
  ): Page<WorkflowDlqEntry> {
    const where = whereDeadLetterMatches(filter, cursor, 'd.')
      .anyOf('d.workflow_url', filter.workflowUrls)
      .anyOf('d.workflow_run_id', filter.runIds)
      .equals('d.workflow_created_at', filter.workflowCreatedAt);
    if (filter.failureFunctionStates?.length) {
      where.raw(
        `json_extract(r.failure_function, '$.state') IN (${filter.failureFunctionStates
          .map(() => '?')
          .join(', ')})`,
        ...filter.failureFunctionStates,
      );
    }
    const rows = this.prepare(
      `SELECT d.* FROM workflow_dlq d JOIN workflow_runs r ON r.run_key = d.run_key
         ${where.sql} ORDER BY d.position DESC LIMIT ?`,
    ).all(...where.params, count + 1) as WorkflowDlqRow[];
    return pageOf(rows, count, dlqFromRow, row => row.position);
  }

  /** Registers a waiter; a second wait of the same step replaces the first. */
  addWaiter(waiter: Omit<StoredWaiter, 'waiterKey'>): void {
    this.prepare(
      `INSERT OR REPLACE INTO workflow_waiters (run_key, event_id, step_id, message_id,
          created_at, deadline, details)
         VALUES (@runKey, @eventId, @stepId, @messageId, @createdAt, @deadline, @details)`,
    ).run({ ...waiter, details: JSON.stringify(waiter.details) });
  }

  /** Waiters of an event (only those of one run when `runKey` is given), oldest first. */
  waitersFor(eventId: string, runKey?: number): StoredWaiter[] {
    const rows =
      runKey === undefined
        ? this.prepare(
            'SELECT * FROM workflow_waiters WHERE event_id = ? ORDER BY waiter_key',
          ).all(eventId)
        : this.prepare(
            'SELECT * FROM workflow_waiters WHERE event_id = ? AND run_key = ? ORDER BY waiter_key',
          ).all(eventId, runKey);
    return (rows as WaiterRow[]).map(waiterFromRow);
  }

  waitersOfRun(runKey: number): StoredWaiter[] {
    const rows = this.prepare(
      'SELECT * FROM workflow_waiters WHERE run_key = ? ORDER BY waiter_key',
    ).all(runKey) as WaiterRow[];
    return rows.map(waiterFromRow);
  }

  /** Waiters whose timeout has come by `at`, earliest first. */
  dueWaiters(at: number, limit: number): StoredWaiter[] {
    const rows = this.prepare(
      'SELECT * FROM workflow_waiters WHERE deadline <= ? ORDER BY deadline, waiter_key LIMIT ?',
    ).all(at, limit) as WaiterRow[];
    return rows.map(waiterFromRow);
  }

  nextWaiterDeadline(): number | undefined {
    const row = this.prepare(
      'SELECT MIN(deadline) AS next FROM workflow_waiters',
    ).get() as { next: number | null };
    return row.next ?? undefined;
  }

  /** Removes a waiter; false when it was gone already (notified or timed out). */
  deleteWaiter(waiterKey: number): boolean {
    return (
      this.prepare('DELETE FROM workflow_waiters WHERE waiter_key = ?').run(
        waiterKey,
      ).changes === 1
    );
  }

  saveNotification(notification: Omit<StoredNotification, 'position'>): void {
    this.prepare(
      `INSERT INTO workflow_event_notifications (run_key, event_id, message_id, data, created_at)
         VALUES (@runKey, @eventId, @messageId, @data, @createdAt)`,
    ).run(notification);
  }

  /** Removes and returns the oldest saved notification of the run for the event. */
  takeNotification(
    runKey: number,
    eventId: string,
  ): StoredNotification | undefined {
    const row = this.prepare(
      `SELECT * FROM workflow_event_notifications WHERE run_key = ? AND event_id = ?
         ORDER BY position LIMIT 1`,
    ).get(runKey, eventId) as NotificationRow | undefined;
    if (!row) return undefined;
    this.prepare(
      'DELETE FROM workflow_event_notifications WHERE position = ?',
    ).run(row.position);
    return notificationFromRow(row);
  }
}
