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

/**
 * Sends one request with global fetch; never throws. `controller` aborts it
 * from outside (a stop); the timeout aborts it through the same controller.
 * One controller and one timer per attempt cost far less than combining
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
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      // A copy typed as a plain ArrayBuffer view, which fetch's types require.
      body: request.body ? new Uint8Array(request.body) : undefined,
      signal: controller.signal,
    });
    const body = Buffer.from(await response.arrayBuffer());
    return {
      kind: 'response',
      status: response.status,
      headers: toHeaderRecord([...response.headers.entries()]),
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

function failureReason(error: unknown, timeoutMs: number): string {
  // Abort reasons are DOMExceptions, which are not always `instanceof Error`.
  const { name, message, cause } = (error ?? {}) as {
    name?: string;
    message?: string;
    cause?: { message?: string };
  };
  if (name === 'TimeoutError') return `request timed out after ${timeoutMs} ms`;
  // fetch hides the network error (refused, reset, DNS) in `cause`.
  if (cause?.message) return `${message}: ${cause.message}`;
  return message ?? String(error);
}
