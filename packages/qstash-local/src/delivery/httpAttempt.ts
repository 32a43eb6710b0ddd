import { Agent, Dispatcher, interceptors } from 'undici';
import { toHeaderRecord } from '../config/headerNames';

export interface OutgoingRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What one delivery attempt produced: an HTTP response or a transport error. */
export type AttemptResult =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string[]>;
      body: Buffer;
    }
  | { kind: 'error'; error: string };

export function isSuccess(result: AttemptResult): boolean {
  return (
    result.kind === 'response' && result.status >= 200 && result.status < 300
  );
}

/** First value of a response header (names are compared case-insensitively). */
export function responseHeader(
  result: AttemptResult,
  name: string,
): string | undefined {
  if (result.kind !== 'response') return undefined;
  const wanted = name.toLowerCase();
  for (const [key, values] of Object.entries(result.headers)) {
    if (key.toLowerCase() === wanted) return values[0];
  }
  return undefined;
}

// undici's request API costs a fraction of fetch's per call; the redirect
// interceptor keeps fetch's behaviour of following up to 20 redirects.
const deliveryAgent = new Agent().compose(
  interceptors.redirect({ maxRedirections: 20 }),
);

/** Response header pairs; repeated headers are joined with ", " as fetch does. */
function headerPairs(
  headers: Record<string, string | string[] | undefined>,
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    pairs.push([name, Array.isArray(value) ? value.join(', ') : value]);
  }
  return pairs;
}

/**
 * Sends one request; never throws. `controller` aborts it from outside (a
 * stop); the timeout aborts it through the same controller. One controller
 * and one timer per attempt cost far less than combining
 * `AbortSignal.timeout` with a shared signal through `AbortSignal.any`.
 */
export async function sendRequest(
  request: OutgoingRequest,
  timeoutMs: number,
  controller: AbortController,
): Promise<AttemptResult> {
  const timer = setTimeout(
    () =>
      controller.abort(
        new DOMException('The operation timed out.', 'TimeoutError'),
      ),
    timeoutMs,
  );
  // Like AbortSignal.timeout: a pending attempt alone does not keep the process up.
  timer.unref();
  try {
    const response = await deliveryAgent.request({
      origin: new URL(request.url).origin,
      path: pathAndQuery(request.url),
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
      // The attempt's own timer decides; undici's idle timeouts would cut in first.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    return {
      kind: 'response',
      status: response.statusCode,
      headers: toHeaderRecord(headerPairs(response.headers)),
      body,
    };
  } catch (error) {
    return {
      kind: 'error',
      error: `${request.method} ${request.url}: ${failureReason(
        error,
        timeoutMs,
      )}`,
    };
  } finally {
    clearTimeout(timer);
  }
}

function pathAndQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

function failureReason(error: unknown, timeoutMs: number): string {
  // Abort reasons are DOMExceptions, which are not always `instanceof Error`.
  const { name, message, cause, code } = (error ?? {}) as {
    name?: string;
    message?: string;
    cause?: { message?: string };
    code?: string;
  };
  if (name === 'TimeoutError') return `request timed out after ${timeoutMs} ms`;
  // fetch hid the network error (refused, reset, DNS) in `cause`; undici
  // names it in `code`.
  if (cause?.message) return `${message}: ${cause.message}`;
  if (code && message && !message.includes(code)) return `${message} (${code})`;
  return message ?? String(error);
}
