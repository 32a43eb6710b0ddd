import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** How hard the gateway tries before it gives up on QStash. */
export interface RetryPolicy {
  /** Per request. */
  timeoutMs: number;
  /** Extra attempts after a 5xx, a timeout or a network error. */
  serverErrorRetries: number;
  /** First back-off after a 5xx; doubles each time. */
  serverErrorBackoffMs: number;
  /** Extra attempts after a 429. */
  rateLimitRetries: number;
  /** A 429 asking for a longer wait than this fails at once. */
  maxRateLimitWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  timeoutMs: 10_000,
  serverErrorRetries: 2,
  serverErrorBackoffMs: 250,
  rateLimitRetries: 4,
  maxRateLimitWaitMs: 10_000,
};

export interface QStashRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  /** Starts with /v2/. */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: string;
  /** Only idempotent requests are repeated after a 5xx or a timeout. */
  idempotent: boolean;
  /** Names the operation in errors: "list the runs of https://...". */
  action: string;
  /** The caller's own deadline: ends the request and every retry. */
  signal?: AbortSignal;
  /** One attempt whatever the answer: a health probe reports, it does not insist. */
  singleAttempt?: boolean;
}

/** The HTTP status behind an error of a final QStash answer; kept off the error itself. */
const answerStatuses = new WeakMap<Error, number>();

/** The status QStash answered with, when `error` came from its final answer. */
export function qstashStatusOf(error: unknown): number | undefined {
  return error instanceof Error ? answerStatuses.get(error) : undefined;
}

function withStatus(error: Error, status: number): Error {
  answerStatuses.set(error, status);
  return error;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * How long a 429 asks us to wait: the burst limit's reset (unix seconds),
 * else Retry-After (seconds or an HTTP date). Undefined for a daily quota,
 * which no short wait fixes.
 */
export function rateLimitWaitMs(headers: Headers, now = Date.now()): number {
  const burstReset = Number(headers.get('burst-ratelimit-reset'));
  if (Number.isFinite(burstReset) && burstReset > 0) {
    return Math.max(0, burstReset * 1000 - now);
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  if (headers.get('ratelimit-reset')) {
    return Number.POSITIVE_INFINITY;
  }
  // A bare 429: a short pause before the next try.
  return 1000;
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 300) || response.statusText || 'no details';
}

/** Maps a final QStash answer to the error our API reports. */
async function toError(
  response: Response,
  request: QStashRequest,
): Promise<Error> {
  const detail = await errorText(response);
  const message = `QStash could not ${request.action}: HTTP ${response.status} ${detail}`;
  switch (response.status) {
    case 400:
      return new InputError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
    case 412:
      return new ConflictError(message);
    case 401:
    case 403:
      // Our token, not the caller's credentials: a configuration problem.
      return new ServiceUnavailableError(
        `QStash refused the configured token while trying to ${request.action} (HTTP ${response.status})`,
      );
    default:
      return new ServiceUnavailableError(message);
  }
}

/** Calls the QStash REST API with the gateway's retry and back-off rules. */
export class QStashHttp {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  async json<T>(request: QStashRequest): Promise<T> {
    const response = await this.send(request);
    const text = await response.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ServiceUnavailableError(
        `QStash answered the request to ${request.action} with a body that is not JSON`,
      );
    }
  }

  async send(request: QStashRequest): Promise<Response> {
    const url = new URL(`${this.baseUrl}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const mayRetry = !request.singleAttempt;
    let serverErrors = 0;
    let rateLimits = 0;
    for (;;) {
      const deadline = AbortSignal.timeout(this.policy.timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...request.headers,
          },
          body: request.body,
          signal: request.signal
            ? AbortSignal.any([deadline, request.signal])
            : deadline,
        });
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        const timedOut = (error as Error)?.name === 'TimeoutError';
        if (
          mayRetry &&
          request.idempotent &&
          serverErrors < this.policy.serverErrorRetries
        ) {
          serverErrors += 1;
          await sleep(
            this.policy.serverErrorBackoffMs * 2 ** (serverErrors - 1),
          );
          continue;
        }
        throw new ServiceUnavailableError(
          timedOut
            ? `QStash did not answer the request to ${request.action} within ${this.policy.timeoutMs} ms`
            : `QStash could not be reached to ${request.action}: ${
                (error as Error).message
              }`,
        );
      }
      if (response.ok) return response;

      if (response.status === 429) {
        const waitMs = rateLimitWaitMs(response.headers);
        if (
          mayRetry &&
          rateLimits < this.policy.rateLimitRetries &&
          waitMs <= this.policy.maxRateLimitWaitMs
        ) {
          rateLimits += 1;
          await response.body?.cancel().catch(() => {});
          await sleep(waitMs);
          continue;
        }
        // Not awaited: nothing follows, and some bodies (msw's, for one)
        // settle a cancel only once they have been read to the end.
        response.body?.cancel().catch(() => {});
        throw withStatus(
          new ServiceUnavailableError(
            `QStash rate limit reached while trying to ${request.action}; ${
              Number.isFinite(waitMs)
                ? `it asked to wait ${Math.ceil(waitMs / 1000)} s`
                : 'the daily quota is used up'
            }`,
          ),
          429,
        );
      }
      if (
        response.status >= 500 &&
        mayRetry &&
        request.idempotent &&
        serverErrors < this.policy.serverErrorRetries
      ) {
        serverErrors += 1;
        await response.body?.cancel().catch(() => {});
        await sleep(this.policy.serverErrorBackoffMs * 2 ** (serverErrors - 1));
        continue;
      }
      throw withStatus(await toError(response, request), response.status);
    }
  }
}
