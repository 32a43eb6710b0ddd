import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request QStash sent to the relay, as it arrived. */
export interface CapturedDelivery {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RelayedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends a delivery (as captured, or changed) on to the backend. */
export type Forward = (delivery: CapturedDelivery) => Promise<RelayedResponse>;

/**
 * A loopback HTTP server that stands where QStash delivers (the runner base
 * URL the backend announces) and passes every delivery on to the backend,
 * recording it. A test may take over a delivery to send it on differently,
 * e.g. several times at once.
 */
export interface DeliveryRelay {
  /** Base URL of the relay, to be configured as the plugin's runner base. */
  url: string;
  deliveries: CapturedDelivery[];
  /** Where deliveries go: the backend's base URL. */
  forwardTo(baseUrl: string): void;
  /** Hands deliveries matching `matches` to `handle` instead of forwarding them once. */
  intercept(
    matches: (delivery: CapturedDelivery) => boolean,
    handle: (
      delivery: CapturedDelivery,
      forward: Forward,
    ) => Promise<RelayedResponse>,
  ): void;
  /** Sends a delivery to the backend directly, bypassing interception. */
  forward: Forward;
  close(): Promise<void>;
}

const NOT_FORWARDED = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
]);

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export async function startDeliveryRelay(): Promise<DeliveryRelay> {
  let target: string | undefined;
  const deliveries: CapturedDelivery[] = [];
  const interceptors: Array<{
    matches: (delivery: CapturedDelivery) => boolean;
    handle: (
      delivery: CapturedDelivery,
      forward: Forward,
    ) => Promise<RelayedResponse>;
  }> = [];

  const forward: Forward = async delivery => {
    if (!target) throw new Error('The relay has no backend to forward to yet');
    const response = await fetch(`${target}${delivery.path}`, {
      method: delivery.method,
      headers: delivery.headers,
      body: Uint8Array.from(delivery.body),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!NOT_FORWARDED.has(name) && name !== 'content-encoding') {
        headers[name] = value;
      }
    });
    return {
      status: response.status,
      headers,
      body: Buffer.from(await response.arrayBuffer()),
    };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', async () => {
      const delivery: CapturedDelivery = {
        method: req.method ?? 'POST',
        path: req.url ?? '/',
        headers: flatHeaders(req.headers),
        body: Buffer.concat(chunks),
      };
      deliveries.push(delivery);
      try {
        const interceptor = interceptors.find(i => i.matches(delivery));
        const response = interceptor
          ? await interceptor.handle(delivery, forward)
          : await forward(delivery);
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      } catch (error) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`relay could not forward: ${(error as Error).message}`);
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    forwardTo(baseUrl) {
      target = baseUrl.replace(/\/+$/, '');
    },
    intercept(matches, handle) {
      interceptors.push({ matches, handle });
    },
    forward,
    async close() {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}
