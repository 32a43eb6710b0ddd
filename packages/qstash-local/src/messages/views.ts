import { toHeaderRecord } from '../config/headerNames';
import { MessageConfig } from '../config/messageConfig';
import { DlqEntry } from '../store/dlqStore';
import { StoredMessage } from '../store/messageStore';
import { bodyFields, redactBody, redactHeaderRecord } from './bodyEncoding';

/** The headers a destination receives from the sender (content type + forwarded). */
export function deliveredHeaderRecord(
  config: MessageConfig,
): Record<string, string[]> {
  // Later entries win, as in the delivered request (one value per name).
  const headers = new Map<string, string>(config.forwardHeaders);
  if (config.contentType) headers.set('content-type', config.contentType);
  return redactHeaderRecord(toHeaderRecord([...headers]), config.redact);
}

function commonFields(config: MessageConfig) {
  return {
    url: config.url,
    method: config.method,
    header: deliveredHeaderRecord(config),
    ...(config.callback ? { callback: config.callback.url } : {}),
    ...(config.failureCallback
      ? { failureCallback: config.failureCallback.url }
      : {}),
    ...(config.retryDelayExpression
      ? { retryDelayExpression: config.retryDelayExpression }
      : {}),
    ...(config.labels.length
      ? { labels: config.labels, label: config.labels[0] }
      : {}),
    ...(config.flowControl
      ? {
          flowControlKey: config.flowControl.key,
          ...(config.flowControl.parallelism !== undefined
            ? { parallelism: config.flowControl.parallelism }
            : {}),
          ...(config.flowControl.rate !== undefined
            ? { rate: config.flowControl.rate }
            : {}),
          ...(config.flowControl.periodSeconds !== undefined
            ? { period: config.flowControl.periodSeconds }
            : {}),
        }
      : {}),
  };
}

/** A pending message as `GET /v2/messages/{id}` returns it. */
export function messageView(message: StoredMessage) {
  return {
    messageId: message.messageId,
    ...commonFields(message.config),
    ...bodyFields(redactBody(message.body, message.config.redact)),
    maxRetries: message.maxRetries,
    notBefore: message.notBefore,
    createdAt: message.createdAt,
    callerIP: message.callerIp,
    ...(message.scheduleId ? { scheduleId: message.scheduleId } : {}),
  };
}

/** A dead letter as `GET /v2/dlq/{id}` returns it. */
export function dlqMessageView(entry: DlqEntry) {
  return {
    dlqId: entry.dlqId,
    messageId: entry.messageId,
    ...commonFields(entry.config),
    ...bodyFields(redactBody(entry.body, entry.config.redact)),
    maxRetries: entry.maxRetries,
    notBefore: entry.notBefore,
    createdAt: entry.messageCreatedAt,
    callerIP: entry.callerIp,
    ...(entry.scheduleId ? { scheduleId: entry.scheduleId } : {}),
    ...(entry.responseStatus !== undefined
      ? { responseStatus: entry.responseStatus }
      : {}),
    ...(entry.responseHeader ? { responseHeader: entry.responseHeader } : {}),
    ...(entry.responseBody
      ? bodyFields(entry.responseBody, {
          text: 'responseBody',
          base64: 'responseBodyBase64',
        })
      : {}),
  };
}
