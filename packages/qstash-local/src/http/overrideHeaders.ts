import { MessageConfig } from '../config/messageConfig';
import { parseMessageConfig } from '../config/parseMessageConfig';
import { RunOverrides } from '../workflow/workflowDlq';

const OVERRIDABLE = [
  'upstash-method',
  'upstash-retries',
  'upstash-retry-delay',
  'upstash-delay',
  'upstash-not-before',
  'upstash-timeout',
  'upstash-callback',
  'upstash-failure-callback',
  'upstash-label',
  'upstash-flow-control-key',
  'upstash-flow-control-value',
] as const;

function pickOverridable(
  headers: Record<string, string>,
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of OVERRIDABLE) {
    if (headers[name] !== undefined) picked[name] = headers[name];
  }
  return picked;
}

/**
 * A DLQ retry may change settings of the original message with the same
 * `Upstash-*` headers a publish takes; only headers that are present apply.
 */
export function withOverrides(
  config: MessageConfig,
  requestHeaders: Record<string, string>,
): MessageConfig {
  const headers = pickOverridable(requestHeaders);
  const given = parseMessageConfig(config.url, headers);
  const has = (name: string) => headers[name] !== undefined;
  return {
    ...config,
    deduplicationId: undefined,
    contentBasedDeduplication: false,
    ...(has('upstash-method') ? { method: given.method } : {}),
    ...(has('upstash-retries') ? { retries: given.retries } : {}),
    ...(has('upstash-retry-delay')
      ? { retryDelayExpression: given.retryDelayExpression }
      : {}),
    ...(has('upstash-delay')
      ? { delayMs: given.delayMs }
      : { delayMs: undefined }),
    ...(has('upstash-not-before')
      ? { notBeforeMs: given.notBeforeMs }
      : { notBeforeMs: undefined }),
    ...(has('upstash-timeout') ? { timeoutMs: given.timeoutMs } : {}),
    ...(has('upstash-callback') ? { callback: given.callback } : {}),
    ...(has('upstash-failure-callback')
      ? { failureCallback: given.failureCallback }
      : {}),
    ...(has('upstash-label') ? { labels: given.labels } : {}),
    ...(has('upstash-flow-control-key')
      ? { flowControl: given.flowControl }
      : {}),
  };
}

/** The run settings a workflow resume/restart request changes. */
export function runOverrides(
  requestHeaders: Record<string, string>,
): RunOverrides {
  const headers = pickOverridable(requestHeaders);
  // Any valid URL will do: only the header values are read here.
  const given = parseMessageConfig('http://localhost/', headers);
  return {
    retries: given.retries,
    delayMs: given.delayMs,
    retryDelayExpression: given.retryDelayExpression,
    flowControl: given.flowControl,
    labels: headers['upstash-label'] !== undefined ? given.labels : undefined,
    failureCallbackUrl: given.failureCallback?.url,
  };
}
