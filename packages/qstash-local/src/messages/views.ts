import { toHeaderRecord } from '../config/headerNames';
import { FlowControl, MessageConfig } from '../config/messageConfig';
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

/** Both label fields, or neither when the message has no labels. */
export function labelFields(labels: string[]) {
  return labels.length ? { labels, label: labels[0] } : {};
}

/** The URL group a message was fanned out from, and its endpoint's name. */
export function urlGroupFields(config: MessageConfig) {
  if (!config.urlGroup) return {};
  return {
    topicName: config.urlGroup.name,
    ...(config.urlGroup.endpointName
      ? { endpointName: config.urlGroup.endpointName }
      : {}),
  };
}

/** The flow-control settings under their API names, each only when set. */
export function flowControlFields(flowControl: FlowControl | undefined) {
  if (!flowControl) return {};
  return {
    flowControlKey: flowControl.key,
    ...(flowControl.parallelism !== undefined
      ? { parallelism: flowControl.parallelism }
      : {}),
    ...(flowControl.rate !== undefined ? { rate: flowControl.rate } : {}),
    ...(flowControl.periodSeconds !== undefined
      ? { period: flowControl.periodSeconds }
      : {}),
  };
}

/** The destination's last reply as dead-letter views show it, each part only when known. */
export function deadLetterResponseFields(entry: {
  responseStatus?: number;
  responseHeader?: Record<string, string[]>;
  responseBody?: Buffer;
}) {
  return {
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
    ...labelFields(config.labels),
    ...flowControlFields(config.flowControl),
    ...(config.queueName ? { queueName: config.queueName } : {}),
    ...urlGroupFields(config),
  };
}

/** The fields of a message that pending and dead-lettered ones show alike. */
function messageFields(
  message: Pick<
    StoredMessage,
    | 'messageId'
    | 'config'
    | 'body'
    | 'maxRetries'
    | 'notBefore'
    | 'callerIp'
    | 'scheduleId'
  >,
  createdAt: number,
) {
  return {
    messageId: message.messageId,
    ...commonFields(message.config),
    ...bodyFields(redactBody(message.body, message.config.redact)),
    maxRetries: message.maxRetries,
    notBefore: message.notBefore,
    createdAt,
    callerIP: message.callerIp,
    ...(message.scheduleId ? { scheduleId: message.scheduleId } : {}),
  };
}

/** A pending message as `GET /v2/messages/{id}` returns it. */
export function messageView(message: StoredMessage) {
  return messageFields(message, message.createdAt);
}

/** A dead letter as `GET /v2/dlq/{id}` returns it. */
export function dlqMessageView(entry: DlqEntry) {
  return {
    dlqId: entry.dlqId,
    // A dead letter's own createdAt is when it failed; the view shows the message's.
    ...messageFields(entry, entry.messageCreatedAt),
    ...deadLetterResponseFields(entry),
  };
}
