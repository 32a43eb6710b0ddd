import { toHeaderRecord } from '../config/headerNames';
import {
  StoredRun,
  StoredWaiter,
  StoredWorkflowMessage,
} from '../store/workflowStore';
import { DEFAULT_RETRIES } from '../messages/publisher';
import { StepBody, isPlanStep, parseStepBody } from './stepBody';

type StepState =
  | 'STEP_SUCCESS'
  | 'STEP_PROGRESS'
  | 'STEP_RETRY'
  | 'STEP_FAILED'
  | 'STEP_CANCELED';

export interface StepLog {
  stepId?: number;
  stepName?: string;
  stepType?: string;
  callType: string;
  messageId: string;
  state: StepState;
  createdAt: number;
  retries: number;
  concurrent?: number;
  out?: string;
  sleepFor?: number | string;
  sleepUntil?: number;
  callUrl?: string;
  callMethod?: string;
  callBody?: string;
  callHeaders?: Record<string, string[]>;
  callResponseStatus?: number;
  callResponseBody?: string;
  callResponseHeaders?: Record<string, string[]>;
  nextDeliveryTime?: number;
  errors?: StoredWorkflowMessage['errors'];
  waitEventId?: string;
  waitTimeout?: boolean;
  waitTimeoutDuration?: string;
  /** Unix ms. */
  waitTimeoutDeadline?: number;
}

export interface StepGroup {
  type: 'sequential' | 'parallel' | 'next';
  steps: StepLog[];
}

const SLEEP_TYPES = new Set(['SleepFor', 'SleepUntil']);

const FRONTIER_STATE: Partial<
  Record<StoredWorkflowMessage['deliveryState'], StepState>
> = {
  pending: 'STEP_PROGRESS',
  active: 'STEP_PROGRESS',
  retry: 'STEP_RETRY',
  failed: 'STEP_FAILED',
  cancelled: 'STEP_CANCELED',
};

function outText(out: unknown): string | undefined {
  if (out === undefined) return undefined;
  return typeof out === 'string' ? out : JSON.stringify(out);
}

/** Adds what the SDK recorded about a context.call to its result step. */
function callFields(
  step: StepBody,
  request: StoredWorkflowMessage | undefined,
): Partial<StepLog> {
  const fields: Partial<StepLog> = {};
  if (request) {
    fields.callUrl = request.config.url;
    fields.callMethod = request.config.method;
    fields.callBody = request.body.toString('utf8');
    fields.callHeaders = toHeaderRecord(request.config.forwardHeaders);
  }
  const out = typeof step.out === 'string' ? step.out : undefined;
  if (out) {
    try {
      const response = JSON.parse(out) as {
        status?: number;
        body?: unknown;
        header?: Record<string, string[]>;
      };
      fields.callResponseStatus = response.status;
      fields.callResponseBody = outText(response.body);
      fields.callResponseHeaders = response.header;
    } catch {
      // Not the SDK's call result shape; the raw `out` is still shown.
    }
  }
  return fields;
}

/** The event fields of a finished Wait step; `out` is the event data as sent. */
function waitFields(step: StepBody): Partial<StepLog> {
  const fields: Partial<StepLog> = {};
  if (typeof step.waitEventId === 'string') {
    fields.waitEventId = step.waitEventId;
  }
  if (typeof step.waitTimeout === 'boolean') {
    fields.waitTimeout = step.waitTimeout;
  }
  if (typeof step.waitTimeoutDuration === 'string') {
    fields.waitTimeoutDuration = step.waitTimeoutDuration;
  }
  if (typeof step.waitTimeoutDeadline === 'number') {
    fields.waitTimeoutDeadline = step.waitTimeoutDeadline;
  }
  // The SDK carries the event data in base64; the logs show it as it was sent.
  fields.out =
    typeof step.out === 'string'
      ? Buffer.from(step.out, 'base64').toString('utf8')
      : undefined;
  return fields;
}

/** A step waiting for its event, as the `next` group shows it. */
function waitingStep(run: StoredRun, waiter: StoredWaiter): StepLog {
  const { step, notifyConfig } = waiter.details;
  return {
    stepId: step.stepId,
    stepName: step.stepName,
    stepType: step.stepType,
    callType: 'step',
    messageId: waiter.messageId,
    state: 'STEP_PROGRESS',
    createdAt: waiter.createdAt,
    retries: notifyConfig.retries ?? run.config.retries ?? DEFAULT_RETRIES,
    concurrent: step.concurrent,
    waitEventId: waiter.eventId,
    waitTimeoutDuration: waiter.details.timeoutText,
    waitTimeoutDeadline: waiter.deadline,
  };
}

/**
 * What the frontier knows about the step it runs: the SDK's error header, or
 * the step a plan or sleep message stands for. A message carrying a finished
 * step's result does not know the next step yet.
 */
function frontierStepName(
  message: StoredWorkflowMessage,
  step: StepBody | undefined,
): Partial<StepLog> {
  if (message.errorStepName) return { stepName: message.errorStepName };
  if (step && (isPlanStep(step) || SLEEP_TYPES.has(step.stepType))) {
    return { stepName: step.stepName, stepType: step.stepType };
  }
  return {};
}

function groupFinishedSteps(steps: StepLog[]): StepGroup[] {
  const groups: StepGroup[] = [];
  let parallel: StepGroup | undefined;
  for (const step of [...steps].sort(
    (a, b) => (a.stepId ?? 0) - (b.stepId ?? 0),
  )) {
    const concurrent = step.concurrent ?? 1;
    if (concurrent <= 1) {
      parallel = undefined;
      groups.push({ type: 'sequential', steps: [step] });
      continue;
    }
    const previous = parallel?.steps[parallel.steps.length - 1];
    const continues =
      parallel !== undefined &&
      previous !== undefined &&
      parallel.steps.length < concurrent &&
      (previous.concurrent ?? 1) === concurrent;
    if (!continues) {
      parallel = { type: 'parallel', steps: [] };
      groups.push(parallel);
    }
    parallel!.steps.push(step);
  }
  return groups;
}

/** A run as the workflow logs API reports it, steps grouped as in Upstash. */
export function workflowRunView(
  run: StoredRun,
  messages: StoredWorkflowMessage[],
  waiters: StoredWaiter[] = [],
) {
  const finished: StepLog[] = [];
  const frontier: StepLog[] = [];
  const callRequests = new Map<number, StoredWorkflowMessage>();
  for (const message of messages) {
    if (message.callType === 'toCallback' && message.stepId !== undefined) {
      callRequests.set(message.stepId, message);
    }
  }

  for (const message of messages) {
    const step = message.seq === 0 ? undefined : parseStepBody(message.body);
    const sleeping =
      step !== undefined &&
      SLEEP_TYPES.has(step.stepType) &&
      !isPlanStep(step) &&
      (message.deliveryState === 'pending' ||
        message.deliveryState === 'retry');

    if (message.seq === 0) {
      finished.push({
        stepId: 0,
        stepName: 'init',
        stepType: 'Initial',
        callType: 'step',
        messageId: message.messageId,
        state: 'STEP_SUCCESS',
        createdAt: message.createdAt,
        retries: message.maxRetries,
        concurrent: 1,
        out: message.body.toString('utf8'),
      });
    } else if (
      step &&
      !isPlanStep(step) &&
      message.callType === 'step' &&
      !sleeping
    ) {
      finished.push({
        stepId: step.stepId,
        stepName: step.stepName,
        stepType: step.stepType,
        callType: 'step',
        messageId: message.messageId,
        state: 'STEP_SUCCESS',
        createdAt: message.createdAt,
        retries: message.maxRetries,
        concurrent: step.concurrent,
        out: outText(step.out),
        ...(step.sleepFor !== undefined ? { sleepFor: step.sleepFor } : {}),
        ...(step.sleepUntil !== undefined
          ? { sleepUntil: step.sleepUntil }
          : {}),
        ...(step.stepType === 'Call'
          ? callFields(step, callRequests.get(step.stepId))
          : {}),
        ...(step.waitEventId !== undefined ? waitFields(step) : {}),
      });
    }

    // A finished run has no frontier; its last message may still be closing.
    const frontierState =
      run.state === 'RUN_SUCCESS'
        ? undefined
        : FRONTIER_STATE[message.deliveryState];
    if (frontierState) {
      frontier.push({
        messageId: message.messageId,
        callType: message.callType,
        state: frontierState,
        createdAt: message.createdAt,
        retries: message.maxRetries,
        ...frontierStepName(message, step),
        ...(message.nextDeliveryAt !== undefined
          ? { nextDeliveryTime: message.nextDeliveryAt }
          : {}),
        ...(message.errors.length ? { errors: message.errors } : {}),
      });
    }
  }

  if (run.state === 'RUN_STARTED') {
    for (const waiter of waiters) frontier.push(waitingStep(run, waiter));
  }
  const steps = groupFinishedSteps(finished);
  if (frontier.length) steps.push({ type: 'next', steps: frontier });

  const failureFunction = run.failureFunction
    ? (({ errors, ...rest }) => ({
        ...rest,
        ...(errors.length ? { errors } : {}),
      }))(run.failureFunction)
    : undefined;

  return {
    workflowRunId: run.runId,
    workflowUrl: run.workflowUrl,
    workflowState: run.state,
    workflowRunCreatedAt: run.createdAt,
    ...(run.completedAt !== undefined
      ? { workflowRunCompletedAt: run.completedAt }
      : {}),
    workflowRunCallerIp: run.callerIp,
    ...(run.response !== undefined
      ? { workflowRunResponse: run.response }
      : {}),
    ...(run.dlqId ? { dlqId: run.dlqId } : {}),
    ...(failureFunction ? { failureFunction } : {}),
    ...(run.labels.length ? { labels: run.labels, label: run.labels[0] } : {}),
    ...(run.flowControlKey ? { flowControlKey: run.flowControlKey } : {}),
    steps,
  };
}
