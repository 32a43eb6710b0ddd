import { compileRetryDelay, defaultBackoffMs } from '../config/retryDelay';
import { StoredMessage } from '../store/messageStore';
import { AttemptResult, responseHeader } from './httpAttempt';

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date). */
export function retryAfterMs(
  value: string | undefined,
  now: number,
): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before the next attempt: the destination's `Retry-After`, else the
 * message's `Upstash-Retry-Delay`, else QStash's exponential backoff; all
 * multiplied by `timeScale` (1 in real use, tiny in tests).
 */
export function nextRetryDelayMs(
  message: StoredMessage,
  result: AttemptResult,
  timeScale: number,
  wallNow: number,
): number {
  const requested = retryAfterMs(
    responseHeader(result, 'retry-after'),
    wallNow,
  );
  let delay: number;
  if (requested !== undefined) delay = requested;
  else if (message.config.retryDelayExpression) {
    delay = compileRetryDelay(message.config.retryDelayExpression)(
      message.retried,
    );
  } else delay = defaultBackoffMs(message.retried + 1);
  return Math.round(delay * timeScale);
}
