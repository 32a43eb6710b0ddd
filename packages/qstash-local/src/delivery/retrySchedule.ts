import {
  MAX_RETRY_DELAY_MS,
  compileRetryDelay,
  defaultBackoffMs,
} from '../config/retryDelay';
import { StoredMessage } from '../store/messageStore';
import { AttemptResult, responseHeader } from './httpAttempt';

/** Response headers that say when to retry, in the order QStash documents them. */
export const RETRY_AT_HEADERS = [
  'retry-after',
  'x-ratelimit-reset',
  'x-ratelimit-reset-requests',
  'x-ratelimit-reset-tokens',
] as const;

// Go's duration syntax (`6m5s`, `1.5s`, `300ms`), which QStash accepts here.
const GO_DURATION_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const GO_DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

// RFC 1123 (`Sun, 06 Nov 1994 08:49:37 GMT`); Date.parse alone accepts far more.
const RFC1123 =
  /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} [A-Za-z]+$/;

/**
 * Milliseconds a retry header asks for: whole seconds, a Go duration or an
 * RFC 1123 date (a past date means now); undefined when it is none of them.
 */
export function retryAfterMs(
  value: string | undefined,
  now: number,
): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (GO_DURATION.test(trimmed)) {
    let total = 0;
    for (const [, amount, unit] of trimmed.matchAll(GO_DURATION_PART)) {
      total += Number(amount) * GO_DURATION_UNIT_MS[unit];
    }
    return Math.round(total);
  }
  if (RFC1123.test(trimmed)) {
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/** The first usable retry header of a response, in milliseconds. */
export function requestedRetryMs(
  result: AttemptResult,
  now: number,
): number | undefined {
  for (const name of RETRY_AT_HEADERS) {
    const delay = retryAfterMs(responseHeader(result, name), now);
    if (delay !== undefined) return delay;
  }
  return undefined;
}

/**
 * Delay before the next attempt: what the destination asked for with
 * `Retry-After` or an `X-RateLimit-Reset*` header (up to one day; a longer
 * wait falls back to the backoff, as QStash does), else the message's
 * `Upstash-Retry-Delay`, else QStash's exponential backoff; all multiplied by
 * `timeScale` (1 in real use, tiny in tests).
 */
export function nextRetryDelayMs(
  message: StoredMessage,
  result: AttemptResult,
  timeScale: number,
  wallNow: number,
): number {
  const requested = requestedRetryMs(result, wallNow);
  let delay: number;
  if (requested !== undefined && requested <= MAX_RETRY_DELAY_MS) {
    delay = requested;
  } else if (message.config.retryDelayExpression) {
    delay = compileRetryDelay(message.config.retryDelayExpression)(
      message.retried,
    );
  } else delay = defaultBackoffMs(message.retried + 1);
  return Math.round(delay * timeScale);
}
