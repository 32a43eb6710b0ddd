/** HTTP methods QStash delivers with. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const WORKFLOW_CALL_TYPES = [
  'step',
  'toCallback',
  'fromCallback',
  'failureCall',
] as const;
export type WorkflowCallType = (typeof WORKFLOW_CALL_TYPES)[number];

/** Where a callback goes and the `Upstash-*` headers its own message is built from. */
export interface CallbackConfig {
  url: string;
  headers: Record<string, string>;
}

export interface FlowControl {
  key: string;
  parallelism?: number;
  rate?: number;
  periodSeconds?: number;
}

export interface Redaction {
  body: boolean;
  allHeaders: boolean;
  /** Lower-case names of single headers to hide. */
  headers: string[];
}

/** Marks a message as part of an Upstash Workflow run. */
export interface WorkflowLink {
  runId: string;
  init: boolean;
  workflowUrl: string;
  callType: WorkflowCallType;
}

/**
 * Everything a publish request says about a message except its body, in a
 * JSON-safe form so it can be stored and replayed (schedules, DLQ retries).
 */
export interface MessageConfig {
  url: string;
  method: HttpMethod;
  contentType?: string;
  /** Headers delivered to the destination (lower-case names, prefix removed). */
  forwardHeaders: Array<[string, string]>;
  /** Explicit `Upstash-Retries`; undefined means the default (or the run's). */
  retries?: number;
  retryDelayExpression?: string;
  timeoutMs?: number;
  delayMs?: number;
  /** Absolute earliest delivery time from `Upstash-Not-Before`. */
  notBeforeMs?: number;
  callback?: CallbackConfig;
  failureCallback?: CallbackConfig;
  labels: string[];
  deduplicationId?: string;
  contentBasedDeduplication: boolean;
  flowControl?: FlowControl;
  redact?: Redaction;
  workflow?: WorkflowLink;
  /** Queue the message waits in (FIFO, with the queue's parallelism). */
  queueName?: string;
  /** The URL group (topic) whose endpoint this message was fanned out to. */
  urlGroup?: { name: string; endpointName?: string };
}
