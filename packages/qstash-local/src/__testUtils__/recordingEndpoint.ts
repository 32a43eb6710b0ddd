import { AddressInfo } from 'node:net';
import { IncomingHttpHeaders, createServer } from 'node:http';
import { waitFor } from './waitFor';

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  /** Full URL as the sender addressed it. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A loopback HTTP endpoint that records requests and answers as told. */
export interface RecordingEndpoint {
  url: string;
  requests: RecordedRequest[];
  /** Requests whose path starts with `path`. */
  to(path: string): RecordedRequest[];
  reply(responder: (request: RecordedRequest) => Reply | Promise<Reply>): void;
  waitForCount(
    count: number,
    path?: string,
    timeoutMs?: number,
  ): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startRecordingEndpoint(): Promise<RecordingEndpoint> {
  const requests: RecordedRequest[] = [];
  let responder: (request: RecordedRequest) => Reply | Promise<Reply> = () => ({
    status: 200,
    body: 'ok',
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const { port } = server.address() as AddressInfo;
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        url: `http://127.0.0.1:${port}${req.url ?? '/'}`,
        headers: req.headers,
        body,
        text: body.toString('utf8'),
      };
      requests.push(request);
      const reply = await responder(request);
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const to = (path: string) => requests.filter(r => r.path.startsWith(path));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to,
    reply(next) {
      responder = next;
    },
    waitForCount(count, path = '/', timeoutMs = 10_000) {
      return waitFor(() => to(path).length >= count && to(path), {
        timeoutMs,
        what: `${count} request(s) to ${path}`,
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}
