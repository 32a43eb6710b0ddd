import { Clock } from '../clock';
import { toHeaderRecord } from '../config/headerNames';
import { CallbackConfig } from '../config/messageConfig';
import { CallbackSender } from '../delivery/callbacks';
import { AttemptResult, responseHeader } from '../delivery/httpAttempt';
import { badRequest, notFound } from '../errors';
import { newDlqId } from '../ids';
import { MessageCancellation } from '../messages/cancellation';
import { deliveredHeaderRecord } from '../messages/views';
import { StoredMessage } from '../store/messageStore';
import { Stores } from '../store/stores';
import {
  FailureFunctionInfo,
  RunFilter,
  StepError,
  StoredRun,
} from '../store/workflowStore';
import { RawStep, rawStepsOf } from './rawSteps';

const ERROR_STEP_NAME_HEADER = 'upstash-error-step-name';
const FAILURE_FUNCTION_MISSING_HEADER =
  'upstash-workflow-failure-callback-notfound';

export function stepErrorOf(result: AttemptResult, time: number): StepError {
  if (result.kind === 'error') {
    return { error: result.error, body: '', headers: {}, status: 0, time };
  }
  return {
    error: `destination answered with status ${result.status}`,
    body: result.body.toString('utf8'),
    headers: result.headers,
    status: result.status,
    time,
  };
}

/**
 * The life of workflow runs: what happens to a run when its messages are
 * delivered, retried or fail, and the run-level operations of the API.
 */
export class WorkflowRuns {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly cancellation: MessageCancellation,
    private readonly callbacks: CallbackSender,
  ) {}

  attemptStarted(message: StoredMessage): void {
    if (message.runKey === undefined || message.runSeq === undefined) return;
    this.stores.workflows.updateMessage(message.runKey, message.runSeq, {
      deliveryState: 'active',
      nextDeliveryAt: undefined,
    });
  }

  delivered(message: StoredMessage, result: AttemptResult): void {
    if (message.runKey === undefined) return;
    if (message.runSeq !== undefined) {
      this.stores.workflows.updateMessage(message.runKey, message.runSeq, {
        deliveryState: 'delivered',
        nextDeliveryAt: undefined,
      });
    }
    if (message.config.workflow?.callType !== 'failureCall') return;
    const run = this.stores.workflows.getRun(message.runKey);
    const info = run?.failureFunction;
    if (!run || info?.messageId !== message.messageId) return;
    // serve() without a failureFunction says so; then the run simply has none.
    if (responseHeader(result, FAILURE_FUNCTION_MISSING_HEADER) === 'true') {
      this.stores.workflows.setFailureFunction(run.runKey, undefined);
      return;
    }
    this.stores.workflows.setFailureFunction(run.runKey, {
      ...info,
      state: 'CALLBACK_SUCCESS',
      nextDeliveryTime: undefined,
      ...this.responseFields(result),
    });
  }

  retrying(
    message: StoredMessage,
    result: AttemptResult,
    nextAt: number,
  ): void {
    if (message.runKey === undefined) return;
    const now = this.clock.now();
    if (message.runSeq !== undefined) {
      const current = this.stores.workflows.message(
        message.runKey,
        message.runSeq,
      );
      this.stores.workflows.updateMessage(message.runKey, message.runSeq, {
        deliveryState: 'retry',
        nextDeliveryAt: nextAt,
        errors: [...(current?.errors ?? []), stepErrorOf(result, now)],
        errorStepName:
          responseHeader(result, ERROR_STEP_NAME_HEADER) ??
          current?.errorStepName,
      });
    }
    this.updateFailureFunction(message, info => ({
      ...info,
      nextDeliveryTime: nextAt,
      errors: [...info.errors, stepErrorOf(result, now)],
    }));
  }

  /**
   * Handles the final failure of a workflow message. Returns false for plain
   * messages, which the caller sends to the QStash DLQ instead.
   */
  failed(message: StoredMessage, result: AttemptResult): boolean {
    const callType = message.config.workflow?.callType;
    if (callType === undefined || message.runKey === undefined) return false;
    const now = this.clock.now();
    if (callType === 'failureCall') {
      this.updateFailureFunction(message, info => ({
        ...info,
        state: 'CALLBACK_FAIL',
        nextDeliveryTime: undefined,
        errors: [...info.errors, stepErrorOf(result, now)],
        ...this.responseFields(result),
      }));
      return true;
    }
    if (message.runSeq !== undefined) {
      const current = this.stores.workflows.message(
        message.runKey,
        message.runSeq,
      );
      this.stores.workflows.updateMessage(message.runKey, message.runSeq, {
        deliveryState: 'failed',
        nextDeliveryAt: undefined,
        errors: [...(current?.errors ?? []), stepErrorOf(result, now)],
        errorStepName:
          responseHeader(result, ERROR_STEP_NAME_HEADER) ??
          current?.errorStepName,
      });
    }
    // A context.call that got an answer reports it through its callback, even
    // a failing one: the workflow code decides what a bad status means.
    if (callType === 'toCallback' && result.kind === 'response') return true;
    this.failRun(message, result, now);
    return true;
  }

  private failRun(
    message: StoredMessage,
    result: AttemptResult,
    now: number,
  ): void {
    const run = this.stores.workflows.getRun(message.runKey!);
    if (!run || run.state !== 'RUN_STARTED') return;
    const dlqId = newDlqId();
    this.stores.workflows.finishRun(run.runKey, 'RUN_FAILED', now);
    this.stores.workflows.setDlqId(run.runKey, dlqId);
    this.cancellation.cancel(
      this.stores.messages
        .forRun(run.runKey)
        .filter(
          other =>
            other.messageId !== message.messageId &&
            other.config.workflow?.callType !== 'failureCall',
        ),
    );
    this.stores.workflows.insertDlq({
      dlqId,
      runKey: run.runKey,
      messageId: message.messageId,
      createdAt: now,
      workflowRunId: run.runId,
      workflowUrl: run.workflowUrl,
      workflowCreatedAt: run.createdAt,
      labels: run.labels,
      flowControlKey: run.flowControlKey,
      callerIp: run.callerIp,
      ...(result.kind === 'response'
        ? {
            responseStatus: result.status,
            responseHeader: result.headers,
            responseBody: result.body,
          }
        : {}),
      message: {
        url: message.config.url,
        method: message.config.method,
        header: deliveredHeaderRecord(message.config),
        maxRetries: message.maxRetries,
        createdAt: message.createdAt,
        notBefore: message.notBefore,
      },
      body: message.body,
    });
    this.startFailureCallback(
      { ...run, state: 'RUN_FAILED', dlqId },
      result.kind === 'response' ? result.status : 0,
      result.kind === 'response' ? result.headers : {},
      result.kind === 'response' ? result.body : Buffer.from(result.error),
    );
  }

  /**
   * Calls the run's failure callback: the `failureUrl` it was started with,
   * or else the workflow URL itself, where `serve()` runs its failureFunction
   * (and answers with a "not found" header when there is none).
   */
  startFailureCallback(
    run: StoredRun,
    failStatus: number,
    failHeaders: Record<string, string[]>,
    failBody: Buffer,
  ): FailureFunctionInfo | undefined {
    const now = this.clock.now();
    const target =
      run.config.failureCallback ?? this.defaultFailureCallback(run);
    const payload = {
      status: failStatus,
      header: failHeaders,
      body: failBody.toString('base64'),
      url: run.workflowUrl,
      method: 'POST',
      sourceHeader: toHeaderRecord(run.config.userHeaders),
      sourceBody: run.initialBody.toString('base64'),
      workflowRunId: run.runId,
      workflowCreatedAt: run.createdAt,
      ...(run.dlqId ? { dlqId: run.dlqId } : {}),
      createdAt: now,
      callerIP: run.callerIp,
    };
    const messageId = this.callbacks.send(target, payload, run.callerIp);
    const queued = messageId ? this.stores.messages.get(messageId) : undefined;
    if (!messageId || !queued) {
      this.stores.workflows.setFailureFunction(run.runKey, undefined);
      return undefined;
    }
    const info: FailureFunctionInfo = {
      messageId,
      url: target.url,
      state: 'CALLBACK_INPROGRESS',
      failHeaders,
      failStatus,
      failResponse: failBody.toString('utf8'),
      dlqId: run.dlqId ?? '',
      maxRetries: queued.maxRetries,
      errors: [],
    };
    this.stores.workflows.setFailureFunction(run.runKey, info);
    return info;
  }

  private defaultFailureCallback(run: StoredRun): CallbackConfig {
    const headers: Record<string, string> = {
      'upstash-workflow-runid': run.runId,
      'upstash-workflow-init': 'false',
      'upstash-workflow-url': run.workflowUrl,
      'upstash-workflow-calltype': 'failureCall',
      'upstash-forward-upstash-workflow-is-failure': 'true',
      'upstash-forward-upstash-workflow-failure-callback': 'true',
    };
    for (const [name, value] of run.config.userHeaders) {
      headers[`upstash-forward-${name}`] ??= value;
    }
    if (run.config.retries !== undefined) {
      headers['upstash-retries'] = String(run.config.retries);
    }
    return { url: run.workflowUrl, headers };
  }

  /**
   * Stops the run's failure callback. One in flight is cancelled when its
   * attempt ends; a success of that attempt still counts, as with messages.
   */
  cancelFailureCallback(run: StoredRun): void {
    const info = run.failureFunction;
    if (!info) return;
    const message = this.stores.messages.get(info.messageId);
    if (message) this.cancellation.cancel([message]);
    this.stores.workflows.setFailureFunction(run.runKey, {
      ...info,
      state: 'CALLBACK_CANCELED',
      nextDeliveryTime: undefined,
    });
  }

  private responseFields(result: AttemptResult) {
    return result.kind === 'response'
      ? {
          responseStatus: result.status,
          responseBody: result.body.toString('utf8'),
          responseHeaders: result.headers,
        }
      : {};
  }

  private updateFailureFunction(
    message: StoredMessage,
    change: (info: FailureFunctionInfo) => FailureFunctionInfo,
  ): void {
    if (message.config.workflow?.callType !== 'failureCall') return;
    const run = this.stores.workflows.getRun(message.runKey!);
    const info = run?.failureFunction;
    if (!run || info?.messageId !== message.messageId) return;
    this.stores.workflows.setFailureFunction(run.runKey, change(info));
  }

  /** `DELETE /v2/workflows/runs/{id}?cancel=false`: serve() reports the end of a run. */
  complete(runId: string, response: string | undefined): void {
    this.stores.transaction(() => {
      const run = this.requireRunning(runId);
      this.stores.workflows.finishRun(
        run.runKey,
        'RUN_SUCCESS',
        this.clock.now(),
        response,
      );
      // Leftovers (none in a well-behaved run) cannot do anything useful any more.
      this.cancellation.cancel(
        this.stores.messages
          .forRun(run.runKey)
          .filter(message => message.state === 'pending'),
      );
    });
  }

  cancel(runId: string): void {
    this.stores.transaction(() => {
      const run = this.requireRunning(runId);
      this.cancelRun(run);
    });
  }

  /** Bulk cancel; returns how many running runs were canceled. */
  cancelMatching(filter: RunFilter, limit: number): number {
    return this.stores.transaction(() => {
      const runs = this.stores.workflows.listRuns(
        { ...filter, states: ['RUN_STARTED'] },
        limit,
      );
      for (const run of runs) this.cancelRun(run);
      return runs.length;
    });
  }

  private cancelRun(run: StoredRun): void {
    this.stores.workflows.finishRun(
      run.runKey,
      'RUN_CANCELED',
      this.clock.now(),
    );
    this.cancellation.cancel(
      this.stores.messages
        .forRun(run.runKey)
        .filter(message => message.config.workflow?.callType !== 'failureCall'),
    );
  }

  private requireRunning(runId: string): StoredRun {
    const run = this.stores.workflows.latestRun(runId);
    if (!run) throw notFound(`workflow run ${runId} not found`);
    if (run.state !== 'RUN_STARTED') {
      throw badRequest(
        `workflow run ${runId} is not running (state ${run.state})`,
      );
    }
    return run;
  }

  /** The steps of a running run, for serve()'s lazy fetch. */
  rawSteps(runId: string): RawStep[] {
    const run = this.stores.workflows.activeRun(runId);
    if (!run) throw notFound(`workflow run ${runId} not found or not running`);
    return rawStepsOf(this.stores.workflows.messages(run.runKey));
  }
}
