import http from 'node:http';
import { AddressInfo } from 'node:net';

export type QStashFault = '429' | '500' | 'hang';

/**
 * Forwards to a QStash server and records when each workflow-log list call
 * came; queued faults answer the next list calls instead of the server.
 */
export async function startQStashProxy(target: string) {
  const faults: QStashFault[] = [];
  const listCalls: number[] = [];
  const server = http.createServer(async (req, res) => {
    const isList = req.url?.startsWith('/v2/workflows/logs') ?? false;
    if (isList) listCalls.push(Date.now());
    const fault = isList ? faults.shift() : undefined;
    if (fault === '429') {
      res.writeHead(429, {
        'content-type': 'application/json',
        'Burst-RateLimit-Limit': '10',
        'Burst-RateLimit-Remaining': '0',
        'Burst-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1),
      });
      res.end('{"error":"burst rate limit exceeded"}');
      return;
    }
    if (fault === '500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal error"}');
      return;
    }
    if (fault === 'hang') return; // never answers; the client times out
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'host')
        headers.set(name, value);
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'text/plain',
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    listCalls,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
