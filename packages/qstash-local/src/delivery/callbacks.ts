import { CallbackConfig } from '../config/messageConfig';
import { parseMessageConfig } from '../config/parseMessageConfig';
import { ApiError } from '../errors';
import { Publisher } from '../messages/publisher';
import { deliveredHeaderRecord } from '../messages/views';
import { StoredMessage } from '../store/messageStore';
import { AttemptResult } from './httpAttempt';

/**
 * The JSON body QStash posts to callback and failure-callback URLs; a failure
 * callback also names the DLQ entry, so it can retry or delete it.
 */
export function callbackPayload(
  message: StoredMessage,
  result: AttemptResult,
  dlqId?: string,
) {
  return {
    status: result.kind === 'response' ? result.status : 0,
    header: result.kind === 'response' ? result.headers : {},
    body: result.kind === 'response' ? result.body.toString('base64') : '',
    ...(result.kind === 'error' ? { error: result.error } : {}),
    retried: message.retried,
    maxRetries: message.maxRetries,
    sourceMessageId: message.messageId,
    url: message.config.url,
    method: message.config.method,
    sourceHeader: deliveredHeaderRecord(message.config),
    sourceBody: message.body.toString('base64'),
    notBefore: message.notBefore,
    createdAt: message.createdAt,
    ...(message.scheduleId ? { scheduleId: message.scheduleId } : {}),
    callerIP: message.callerIp,
    ...(dlqId ? { dlqId } : {}),
  };
}

/** Publishes callback messages built from `Upstash-Callback-*` style settings. */
export class CallbackSender {
  constructor(private readonly publisher: Publisher) {}

  /**
   * Publishes `payload` as JSON to the callback. Returns the new message id, or
   * undefined when the callback cannot be placed (e.g. its workflow run ended).
   */
  send(
    callback: CallbackConfig,
    payload: unknown,
    callerIp: string,
  ): string | undefined {
    try {
      const config = parseMessageConfig(callback.url, callback.headers);
      config.contentType ??= 'application/json';
      return this.publisher.publish({
        config,
        body: Buffer.from(JSON.stringify(payload)),
        context: { callerIp },
      }).messageId;
    } catch (error) {
      if (error instanceof ApiError) return undefined;
      throw error;
    }
  }

  /** After every attempt that got an HTTP response, as QStash calls callbacks. */
  afterAttempt(message: StoredMessage, result: AttemptResult): void {
    if (!message.config.callback || result.kind !== 'response') return;
    this.send(
      message.config.callback,
      callbackPayload(message, result),
      message.callerIp,
    );
  }

  /** Once a plain message failed for good and went to the DLQ as `dlqId`. */
  afterFailure(
    message: StoredMessage,
    result: AttemptResult,
    dlqId: string,
  ): void {
    if (!message.config.failureCallback) return;
    this.send(
      message.config.failureCallback,
      callbackPayload(message, result, dlqId),
      message.callerIp,
    );
  }
}
