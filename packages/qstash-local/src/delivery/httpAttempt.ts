import http from 'node:http';
import https from 'node:https';
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

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// As fetch does; a destination that loops is a failed attempt, not a hang.
const MAX_REDIRECTS = 20;
// Headers that describe the request body and go when a redirect drops it.
const BODY_HEADERS = [
  'content-type',
  'content-encoding',
  'content-language',
  'content-location',
];
// Credentials stay with the origin they were meant for.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

interface Hop {
  status: number;
  rawHeaders: string[];
  body: Buffer;
}

/**
 * Sends delivery attempts with node:http and node:https over keep-alive
 * agents. Global fetch cost several times the CPU per request (about 230-290
 * us against 65-70 us, 64 requests at a time to a no-op endpoint in another
 * process), and deliveries are most of the server's work. Redirects are followed the
 * way fetch follows them.
 */
export class HttpSender {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };

  /**
   * Sends one request; never throws. `controller` aborts it from outside (a
   * stop); the timeout aborts it through the same controller.
   */
  async send(
    request: OutgoingRequest,
    timeoutMs: number,
    controller: AbortController,
  ): Promise<AttemptResult> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    // A pending attempt alone does not keep the process up.
    timer.unref();
    try {
      let { url, method, body } = request;
      let headers = { ...request.headers };
      for (let redirects = 0; ; redirects++) {
        const hop = await this.hop(url, method, headers, body, controller);
        const location = headerValue(hop.rawHeaders, 'location');
        if (!REDIRECT_STATUSES.has(hop.status) || location === undefined) {
          return {
            kind: 'response',
            status: hop.status,
            headers: toHeaderRecord(pairsOf(hop.rawHeaders)),
            body: hop.body,
          };
        }
        if (redirects === MAX_REDIRECTS) {
          throw new Error(`more than ${MAX_REDIRECTS} redirects`);
        }
        const next = new URL(location, url);
        if (!(next.protocol in this.agents)) {
          throw new Error(`redirect to unsupported protocol ${next.protocol}`);
        }
        if (
          (hop.status === 303 && method !== 'HEAD') ||
          ((hop.status === 301 || hop.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
          headers = withoutHeaders(headers, BODY_HEADERS);
        }
        if (next.origin !== new URL(url).origin) {
          headers = withoutHeaders(headers, CREDENTIAL_HEADERS);
        }
        url = next.href;
      }
    } catch (error) {
      const reason = timedOut
        ? `request timed out after ${timeoutMs} ms`
        : (error as Error).message ?? String(error);
      return {
        kind: 'error',
        error: `${request.method} ${request.url}: ${reason}`,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes idle keep-alive connections; attempts in flight are aborted by their controllers. */
  close(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }

  private hop(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    controller: AbortController,
  ): Promise<Hop> {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const agent = this.agents[target.protocol as keyof HttpSender['agents']];
    return new Promise<Hop>((resolve, reject) => {
      const outgoing = transport.request(
        target,
        {
          method,
          agent,
          signal: controller.signal,
          headers: body
            ? { ...headers, 'content-length': String(body.length) }
            : headers,
        },
        response => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('close', () => {
            // After 'end' this changes nothing: the promise is settled.
            if (!response.complete) {
              reject(new Error('connection closed before the response ended'));
            }
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              rawHeaders: response.rawHeaders,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

function pairsOf(rawHeaders: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    pairs.push([rawHeaders[i], rawHeaders[i + 1]]);
  }
  return pairs;
}

function headerValue(rawHeaders: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === name) return rawHeaders[i + 1];
  }
  return undefined;
}

function withoutHeaders(
  headers: Record<string, string>,
  names: string[],
): Record<string, string> {
  const result = { ...headers };
  for (const name of names) delete result[name];
  return result;
}
