import {
  LogEntry,
  LogIndexFields,
  LogLocation,
  LogState,
  LogStore,
} from '../store/logStore';
import { StoredMessage, urlParts } from '../store/messageStore';
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

/** What every log entry of one message repeats, serialized once. */
interface MessagePart {
  /** The entry's fields that do not change with the state, as JSON members. */
  members: string;
  location: LogLocation;
  index: LogIndexFields;
}

/** States after which a message has no further log entries. */
const FINAL_STATES = new Set<LogState>(['DELIVERED', 'FAILED', 'CANCELLED']);

// Enough for every message in flight at the default concurrency many times
// over; a message that falls out is serialized again, nothing else.
const MAX_CACHED_PARTS = 4096;

/**
 * Writes the state changes of messages to the logs that `/v2/logs` serves.
 * A delivered message has three entries (CREATED, ACTIVE, DELIVERED) that
 * repeat its URL, headers and body; those are serialized once per message.
 */
export class MessageLog {
  private readonly parts = new Map<string, MessagePart>();

  constructor(private readonly logs: LogStore) {}

  record(
    message: StoredMessage,
    state: LogState,
    time: number,
    details: LogDetails = {},
  ): void {
    const part = this.partOf(message);
    const detailJson = JSON.stringify(details);
    const entry =
      `{"time":${JSON.stringify(time)},"state":${JSON.stringify(state)},` +
      `${part.members}${
        detailJson.length > 2 ? `,${detailJson.slice(1, -1)}` : ''
      }}`;
    this.logs.add(
      { time, messageId: message.messageId, state, ...part.location },
      entry,
      part.index,
    );
    if (FINAL_STATES.has(state)) this.parts.delete(message.messageId);
  }

  private partOf(message: StoredMessage): MessagePart {
    const cached = this.parts.get(message.messageId);
    if (cached) return cached;
    const { config } = message;
    const fields: Omit<LogEntry, 'time' | 'state'> = {
      messageId: message.messageId,
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
    };
    const part: MessagePart = {
      members: JSON.stringify(fields).slice(1, -1),
      location: { url: config.url, ...urlParts(config.url) },
      index: {
        scheduleId: message.scheduleId,
        labels: config.labels,
        flowControlKey: config.flowControl?.key,
        callerIp: message.callerIp,
        queueName: config.queueName,
        topicName: config.urlGroup?.name,
      },
    };
    if (this.parts.size >= MAX_CACHED_PARTS) {
      // Maps iterate in insertion order: the oldest goes first.
      this.parts.delete(this.parts.keys().next().value as string);
    }
    this.parts.set(message.messageId, part);
    return part;
  }
}
