import { Clock } from '../clock';
import { newDlqId } from '../ids';
import { MessageCancellation } from '../messages/cancellation';
import { MessageLog } from '../messages/messageLog';
import { StoredMessage } from '../store/messageStore';
import { Stores } from '../store/stores';
import { ScheduleService } from '../schedules/scheduleService';
import { signDelivery } from '../signing';
import { SigningKeys } from '../signingKeys';
import { WorkflowRuns } from '../workflow/workflowRuns';
import { CallbackSender } from './callbacks';
import {
  AttemptResult,
  HttpSender,
  isSuccess,
  responseHeader,
} from './httpAttempt';
import { buildOutgoingRequest } from './outgoingRequest';
import { nextRetryDelayMs } from './retrySchedule';

export interface DeliverySettings {
  retryTimeScale: number;
  defaultTimeoutMs: number;
}

function errorText(result: AttemptResult): string {
  return result.kind === 'error'
    ? result.error
    : `destination answered with status ${result.status}`;
}

function responseDetails(result: AttemptResult) {
  return result.kind === 'response'
    ? {
        responseStatus: result.status,
        responseBody: result.body.toString('base64'),
        responseHeaders: result.headers,
      }
    : {};
}

/** Performs one delivery attempt of a message and records what came of it. */
export class DeliveryWorker {
  private stopped = false;
  /** One controller per attempt in flight, so a stop can abort each. */
  private readonly inFlight = new Set<AbortController>();
  private readonly sender = new HttpSender();

  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly messageLog: MessageLog,
    private readonly cancellation: MessageCancellation,
    private readonly signingKeys: SigningKeys,
    private readonly callbacks: CallbackSender,
    private readonly workflows: WorkflowRuns,
    private readonly schedules: ScheduleService,
    private readonly settings: DeliverySettings,
  ) {}

  /**
   * Aborts attempts in flight. Their messages stay claimed in the data file,
   * and the next start sends them again (delivery is at-least-once).
   */
  stop(): void {
    this.stopped = true;
    for (const controller of this.inFlight) controller.abort();
    this.sender.close();
  }

  /**
   * Claims a due message and delivers it; undefined when the message was not
   * there to claim. Claiming and the ACTIVE log share one transaction.
   */
  attempt(messageId: string): Promise<void> | undefined {
    if (this.stopped) return undefined;
    const message = this.stores.transaction(() => {
      const claimed = this.stores.messages.claim(messageId);
      if (!claimed) return undefined;
      this.messageLog.record(claimed, 'ACTIVE', this.clock.now());
      this.workflows.attemptStarted(claimed);
      return claimed;
    });
    return message ? this.deliver(message) : undefined;
  }

  private async deliver(message: StoredMessage): Promise<void> {
    const run =
      message.runKey === undefined
        ? undefined
        : this.stores.workflows.getRun(message.runKey);
    const request = buildOutgoingRequest(message, run, this.stores.workflows);
    request.headers['upstash-signature'] = await signDelivery(
      this.signingKeys.current,
      request.url,
      request.body ?? new Uint8Array(),
    );
    if (this.stopped) return;
    const controller = new AbortController();
    this.inFlight.add(controller);
    let result: AttemptResult;
    try {
      result = await this.sender.send(
        request,
        message.config.timeoutMs ?? this.settings.defaultTimeoutMs,
        controller,
      );
    } finally {
      this.inFlight.delete(controller);
    }
    if (this.stopped) return;
    // Attempts that end in one turn share a commit. Until it holds, the
    // message stays claimed, and a crash sends it again (at-least-once).
    await this.stores.transactionSoon(() => {
      // A stop leaves the message claimed, as an attempt cut off by it would.
      if (!this.stopped) this.settle(message, result);
    });
  }

  private settle(sent: StoredMessage, result: AttemptResult): void {
    const { messageId } = sent;
    const cancelRequested = this.stores.messages.cancelRequestOf(messageId);
    // Gone means the message was cancelled while it was away; nothing to record.
    if (cancelRequested === undefined) return;
    const message = { ...sent, cancelRequested };
    const now = this.clock.now();

    if (isSuccess(result)) {
      this.stores.messages.delete(messageId);
      this.messageLog.record(message, 'DELIVERED', now, {
        responseStatus: (result as { status: number }).status,
      });
      this.workflows.delivered(message, result);
      this.schedules.recordTickOutcome(message, 'SUCCESS');
      this.callbacks.afterAttempt(message, result);
      return;
    }

    if (message.cancelRequested) {
      this.cancellation.finish(message, now);
      return;
    }

    const nonRetryable =
      result.kind === 'response' &&
      result.status === 489 &&
      responseHeader(result, 'upstash-nonretryable-error') === 'true';

    if (!nonRetryable && message.retried < message.maxRetries) {
      const nextAt =
        now +
        nextRetryDelayMs(
          message,
          result,
          this.settings.retryTimeScale,
          Date.now(),
        );
      this.stores.messages.scheduleRetry(
        messageId,
        message.retried + 1,
        nextAt,
      );
      this.messageLog.record(message, 'ERROR', now, {
        error: errorText(result),
        nextDeliveryTime: nextAt,
        ...responseDetails(result),
      });
      this.messageLog.record(message, 'RETRY', now, {
        nextDeliveryTime: nextAt,
      });
      this.workflows.retrying(message, result, nextAt);
      this.callbacks.afterAttempt(message, result);
      return;
    }

    this.stores.messages.delete(messageId);
    this.messageLog.record(message, 'ERROR', now, {
      error: errorText(result),
      ...responseDetails(result),
    });
    this.messageLog.record(message, 'FAILED', now, {
      error: nonRetryable
        ? 'destination marked the error as non-retryable'
        : errorText(result),
    });
    this.callbacks.afterAttempt(message, result);
    this.schedules.recordTickOutcome(message, 'FAIL');
    if (!this.workflows.failed(message, result)) {
      const dlqId = this.deadLetter(message, result, now);
      this.callbacks.afterFailure(message, result, dlqId);
    }
  }

  private deadLetter(
    message: StoredMessage,
    result: AttemptResult,
    now: number,
  ): string {
    const dlqId = newDlqId();
    this.stores.dlq.insert({
      dlqId,
      messageId: message.messageId,
      createdAt: now,
      messageCreatedAt: message.createdAt,
      notBefore: message.notBefore,
      maxRetries: message.maxRetries,
      callerIp: message.callerIp,
      scheduleId: message.scheduleId,
      config: message.config,
      body: message.body,
      ...(result.kind === 'response'
        ? {
            responseStatus: result.status,
            responseHeader: result.headers,
            responseBody: result.body,
          }
        : {}),
    });
    return dlqId;
  }
}
