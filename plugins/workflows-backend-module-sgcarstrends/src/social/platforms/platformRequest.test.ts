import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { z } from 'zod';
import { closedPort, fetchWithTimeout } from '../__testUtils__/socialTestSetup';
import { requestJson } from './platformRequest';
import { SocialPlatformError } from './SocialPlatformError';

/** A real local server whose handler decides how each request ends. */
async function startServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      received.push(body);
      handle(req, res);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/post`, received, server };
}

async function failureOf(
  url: string,
  options: { createsPost: boolean; timeoutMs?: number },
): Promise<SocialPlatformError> {
  const error = await requestJson(
    {
      platformName: 'Example',
      action: 'post the message',
      url,
      init: { method: 'POST', body: '{"text":"hello"}' },
      secrets: [],
      createsPost: options.createsPost,
      fetchImpl: options.timeoutMs
        ? fetchWithTimeout(options.timeoutMs)
        : undefined,
    },
    z.object({ id: z.string() }),
  ).catch(e => e);
  expect(error).toBeInstanceOf(SocialPlatformError);
  return error;
}

describe('what a failed platform request says about the post', () => {
  const msw = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|[^/]*\.invalid)[:/]/, () =>
      passthrough(),
    ),
  );
  registerMswTestHooks(msw);
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    }
  });

  it('a connection that is refused certainly sent nothing', async () => {
    const error = await failureOf(`http://127.0.0.1:${await closedPort()}/`, {
      createsPost: true,
    });
    expect(error.mayHavePosted).toBe(false);
    expect(error.message).toBe(
      'Example: could not post the message: fetch failed (ECONNREFUSED)',
    );
  });

  it('a name that does not resolve certainly sent nothing', async () => {
    const error = await failureOf('http://platform.invalid/post', {
      createsPost: true,
    });
    expect(error.mayHavePosted).toBe(false);
    expect(error.message).toMatch(/\((ENOTFOUND|EAI_AGAIN|EAI_FAIL)\)$/);
  });

  it('a socket closed after the request arrived may have posted', async () => {
    const platform = await startServer(req => req.socket.destroy());
    servers.push(platform.server);
    const error = await failureOf(platform.url, { createsPost: true });
    expect(platform.received).toEqual(['{"text":"hello"}']);
    expect(error.mayHavePosted).toBe(true);
    expect(error.message).toBe(
      'Example: could not post the message: fetch failed (UND_ERR_SOCKET) (the request may have reached Example)',
    );
  });

  it('no reply before the timeout may have posted', async () => {
    const platform = await startServer((_req, res) => {
      setTimeout(() => res.end('{"id":"late"}'), 1_000);
    });
    servers.push(platform.server);
    const error = await failureOf(platform.url, {
      createsPost: true,
      timeoutMs: 150,
    });
    expect(platform.received).toHaveLength(1);
    expect(error.mayHavePosted).toBe(true);
    expect(error.message).toContain('no reply before the request timed out');
  });

  it('a 2xx whose body breaks off may have posted', async () => {
    const platform = await startServer((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"id":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    servers.push(platform.server);
    const error = await failureOf(platform.url, { createsPost: true });
    expect(error.mayHavePosted).toBe(true);
    expect(error.status).toBe(200);
    expect(error.message).toMatch(
      /^Example answered the request to post the message with HTTP 200 but an unexpected reply: \(reply could not be read/,
    );
  });

  it('a request that does not create the post never counts as posted', async () => {
    const platform = await startServer(req => req.socket.destroy());
    servers.push(platform.server);
    const error = await failureOf(platform.url, { createsPost: false });
    expect(error.mayHavePosted).toBe(false);
    expect(error.message).not.toContain('may have reached');
  });
});
