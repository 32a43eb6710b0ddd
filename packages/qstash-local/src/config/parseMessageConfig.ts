import { z } from 'zod';
import { badRequest } from '../errors';
import { IDENTIFIER_PATTERN } from '../ids';
import { parseDuration } from './durations';
import { canonicalHeaderName, rebaseHeaders } from './headerNames';
import {
  CallbackConfig,
  FlowControl,
  HTTP_METHODS,
  MessageConfig,
  Redaction,
  WORKFLOW_CALL_TYPES,
  WorkflowLink,
} from './messageConfig';
import { compileRetryDelay } from './retryDelay';

const MAX_RETRIES = 100;

/**
 * Connection-level headers describe one hop, not the message; forwarding them
 * (the workflow SDK forwards every header of the request that started a run)
 * would corrupt the delivery, e.g. a stale Content-Length.
 */
const HOP_BY_HOP_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'proxy-connection',
]);

const httpUrl = z.string().refine(isHttpUrl, {
  message: 'must be an absolute http:// or https:// URL',
});

const duration = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `"${value}" is not a duration like 10s, 5m, 2h or 1d2h`,
    });
    return z.NEVER;
  }
  return ms;
});

const nonNegativeInteger = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a non-negative integer')
    .transform(Number)
    .refine(value => value <= max, `must be at most ${max}`);

const booleanText = z
  .enum(['true', 'false'])
  .transform(value => value === 'true');

const labelList = z.string().transform((value, ctx) => {
  const labels = value
    .split(',')
    .map(label => label.trim())
    .filter(label => label.length > 0);
  for (const label of labels) {
    if (!IDENTIFIER_PATTERN.test(label)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `label "${label}" must match [A-Za-z0-9._-]+`,
      });
    }
  }
  return labels;
});

const retryDelayExpression = z.string().superRefine((value, ctx) => {
  try {
    compileRetryDelay(value);
  } catch (error) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: (error as Error).message,
    });
  }
});

const flowControlValue = z.string().transform((value, ctx) => {
  const result: Omit<FlowControl, 'key'> = {};
  for (const part of value
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)) {
    const [name, raw = ''] = part.split('=').map(p => p.trim());
    if (name === 'parallelism' || name === 'rate') {
      if (!/^\d+$/.test(raw) || Number(raw) < 1) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${name} must be a positive integer`,
        });
        return z.NEVER;
      }
      result[name] = Number(raw);
    } else if (name === 'period') {
      const ms = parseDuration(raw);
      if (ms === undefined || ms < 1000) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: 'period must be a duration of at least 1s',
        });
        return z.NEVER;
      }
      result.periodSeconds = Math.round(ms / 1000);
    } else {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `unknown setting "${name}" (use parallelism, rate or period)`,
      });
      return z.NEVER;
    }
  }
  if (result.parallelism === undefined && result.rate === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'needs parallelism=<n> or rate=<n>',
    });
    return z.NEVER;
  }
  return result;
});

const redactFields = z.string().transform((value, ctx) => {
  const redaction: Redaction = { body: false, allHeaders: false, headers: [] };
  for (const field of value
    .split(',')
    .map(f => f.trim())
    .filter(Boolean)) {
    const single = /^header\[([^\]]+)\]$/.exec(field);
    if (field === 'body') redaction.body = true;
    else if (field === 'header' || field === 'headers')
      redaction.allHeaders = true;
    else if (single) redaction.headers.push(single[1].toLowerCase());
    else {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `unknown field "${field}" (use body, headers or header[Name])`,
      });
    }
  }
  return redaction;
});

/** The `Upstash-*` configuration headers of a publish request. */
const configHeadersSchema = z.object({
  'upstash-method': z
    .string()
    .transform(value => value.toUpperCase())
    .pipe(z.enum(HTTP_METHODS))
    .optional(),
  'upstash-delay': duration.optional(),
  'upstash-not-before': nonNegativeInteger(Number.MAX_SAFE_INTEGER).optional(),
  'upstash-timeout': duration.optional(),
  'upstash-retries': nonNegativeInteger(MAX_RETRIES).optional(),
  'upstash-retry-delay': retryDelayExpression.optional(),
  'upstash-callback': httpUrl.optional(),
  'upstash-failure-callback': httpUrl.optional(),
  'upstash-label': labelList.optional(),
  'upstash-deduplication-id': z.string().min(1).max(512).optional(),
  'upstash-content-based-deduplication': booleanText.optional(),
  'upstash-flow-control-key': z
    .string()
    .regex(IDENTIFIER_PATTERN, 'must match [A-Za-z0-9._-]+')
    .optional(),
  'upstash-flow-control-value': flowControlValue.optional(),
  'upstash-redact-fields': redactFields.optional(),
  'upstash-workflow-runid': z
    .string()
    .regex(IDENTIFIER_PATTERN, 'must match [A-Za-z0-9._-]+')
    .optional(),
  'upstash-workflow-init': booleanText.optional(),
  'upstash-workflow-url': httpUrl.optional(),
  'upstash-workflow-calltype': z.enum(WORKFLOW_CALL_TYPES).optional(),
  'upstash-queue-name': z
    .string()
    .regex(IDENTIFIER_PATTERN, 'must match [A-Za-z0-9._-]+')
    .optional(),
});

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const header = issue.path[0];
      return header === undefined
        ? issue.message
        : `invalid ${canonicalHeaderName(String(header))} header: ${
            issue.message
          }`;
    })
    .join('; ');
}

function callbackConfig(
  url: string | undefined,
  headers: Record<string, string>,
  prefix: string,
): CallbackConfig | undefined {
  if (url === undefined) return undefined;
  return { url, headers: rebaseHeaders(headers, prefix, 'upstash-') };
}

/**
 * Reads a publish request (destination + lower-cased headers) the way QStash
 * does. Throws a 400 ApiError naming the offending header.
 */
export function parseMessageConfig(
  destination: string,
  headers: Record<string, string>,
): MessageConfig {
  if (!isHttpUrl(destination)) {
    throw badRequest(
      `invalid destination "${destination}": must be an absolute http:// or https:// URL or the name of a URL group (API destinations are not supported)`,
    );
  }
  const parsed = configHeadersSchema.safeParse(headers);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error));
  const config = parsed.data;

  if (
    config['upstash-flow-control-key'] !== undefined &&
    config['upstash-flow-control-value'] === undefined
  ) {
    throw badRequest(
      'invalid Upstash-Flow-Control-Value header: required when Upstash-Flow-Control-Key is set',
    );
  }

  const forwardHeaders: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    const forwarded = name.slice('upstash-forward-'.length);
    if (
      name.startsWith('upstash-forward-') &&
      forwarded.length > 0 &&
      !HOP_BY_HOP_HEADERS.has(forwarded)
    ) {
      forwardHeaders.push([forwarded, value]);
    }
  }

  const runId = config['upstash-workflow-runid'];
  const workflow: WorkflowLink | undefined = runId
    ? {
        runId,
        init: config['upstash-workflow-init'] ?? false,
        workflowUrl: config['upstash-workflow-url'] ?? destination,
        callType: config['upstash-workflow-calltype'] ?? 'step',
      }
    : undefined;

  const flowKey = config['upstash-flow-control-key'];
  const result: MessageConfig = {
    url: destination,
    method: config['upstash-method'] ?? 'POST',
    contentType: headers['content-type'],
    forwardHeaders,
    retries: config['upstash-retries'],
    retryDelayExpression: config['upstash-retry-delay'],
    timeoutMs: config['upstash-timeout'],
    delayMs: config['upstash-delay'],
    notBeforeMs:
      config['upstash-not-before'] === undefined
        ? undefined
        : config['upstash-not-before'] * 1000,
    callback: callbackConfig(
      config['upstash-callback'],
      headers,
      'upstash-callback-',
    ),
    failureCallback: callbackConfig(
      config['upstash-failure-callback'],
      headers,
      'upstash-failure-callback-',
    ),
    labels: config['upstash-label'] ?? [],
    deduplicationId: config['upstash-deduplication-id'],
    contentBasedDeduplication:
      config['upstash-content-based-deduplication'] ?? false,
    flowControl: flowKey
      ? { key: flowKey, ...config['upstash-flow-control-value'] }
      : undefined,
    redact: config['upstash-redact-fields'],
    workflow,
    queueName: config['upstash-queue-name'],
  };

  // A bad callback configuration must fail the publish, not the callback later.
  for (const [label, callback] of [
    ['Upstash-Callback', result.callback],
    ['Upstash-Failure-Callback', result.failureCallback],
  ] as const) {
    if (!callback) continue;
    try {
      parseMessageConfig(callback.url, callback.headers);
    } catch (error) {
      throw badRequest(`${label} settings: ${(error as Error).message}`);
    }
  }
  return result;
}
