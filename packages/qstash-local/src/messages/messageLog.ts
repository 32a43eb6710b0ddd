import { LogEntry, LogState, LogStore } from '../store/logStore';
import { StoredMessage } from '../store/messageStore';
import { redactBody } from './bodyEncoding';
import { deliveredHeaderRecord, urlGroupFields } from './views';

export type LogDetails = Pick<
  LogEntry,
  | 'error'
  | 'nextDeliveryTime'
  | 'responseStatus'
  | 'responseBody'
  | 'responseHeaders'
>;

/** Writes the state changes of messages to the logs that `/v2/logs` serves. */
export class MessageLog {
  constructor(private readonly logs: LogStore) {}

  record(
    message: StoredMessage,
    state: LogState,
    time: number,
    details: LogDetails = {},
  ): void {
    const { config } = message;
    const entry: LogEntry = {
      time,
      messageId: message.messageId,
      state,
      url: config.url,
      method: config.method,
      header: deliveredHeaderRecord(config),
      body: redactBody(message.body, config.redact).toString('base64'),
      maxRetries: message.maxRetries,
      ...(config.labels.length
        ? { labels: config.labels, label: config.labels[0] }
        : {}),
      ...(message.scheduleId ? { scheduleId: message.scheduleId } : {}),
      ...(config.queueName ? { queueName: config.queueName } : {}),
      ...urlGroupFields(config),
      ...(config.callback ? { callback: config.callback.url } : {}),
      ...(config.failureCallback
        ? { failureCallback: config.failureCallback.url }
        : {}),
      ...(config.retryDelayExpression
        ? { retryDelayExpression: config.retryDelayExpression }
        : {}),
      ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
      ...details,
    };
    this.logs.add(entry, {
      scheduleId: message.scheduleId,
      labels: config.labels,
      flowControlKey: config.flowControl?.key,
      callerIp: message.callerIp,
      queueName: config.queueName,
      topicName: config.urlGroup?.name,
    });
  }
}
