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

/** Sends one request with global fetch; never throws. */
export async function sendRequest(
  request: OutgoingRequest,
  timeoutMs: number,
  stopSignal: AbortSignal,
): Promise<AttemptResult> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      // A copy typed as a plain ArrayBuffer view, which fetch's types require.
      body: request.body ? Uint8Array.from(request.body) : undefined,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopSignal]),
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
