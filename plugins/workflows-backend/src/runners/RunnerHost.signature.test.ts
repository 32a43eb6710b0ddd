import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createRunnerModule } from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { workflowsPlugin } from '../plugin';

const CURRENT = 'sig_current_0123456789abcdef';
const NEXT = 'sig_next_0123456789abcdef';

function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('base64url');
}

async function sign(
  body: string,
  url: string,
  options: { key?: string; expiresInSeconds?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ body: bodyHash(body) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(url)
    .setIssuedAt(now - 10)
    .setNotBefore(now - 10)
    .setExpirationTime(now + (options.expiresInSeconds ?? 300))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(options.key ?? CURRENT));
}

let localQStash: Awaited<ReturnType<typeof startQStashLocal>>;

async function startWith(qstash: Record<string, string>) {
  const executions: string[] = [];
  const counterModule = createRunnerModule({
    id: 'counter',
    title: 'Counter',
    description: 'Counts executions',
    owner: 'group:default/test',
    async run(context) {
      executions.push('body');
      await context.run('count', () => executions.push('step'));
    },
  });
  const { server } = await startTestBackend({
    features: [
      workflowsPlugin,
      counterModule,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          workflows: {
            qstash: { url: localQStash.url, ...qstash },
          },
        },
      }),
    ],
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}/api/workflows/runners/counter`;
  return { server, executions, url };
}

describe('runner endpoint signature checks', () => {
  const body = JSON.stringify({ hello: 'world' });

  beforeAll(async () => {
    localQStash = await startQStashLocal({
      port: 0,
      token: 'token',
      currentSigningKey: CURRENT,
      nextSigningKey: NEXT,
    });
  });
  afterAll(() => localQStash.close());

  it.each([
    ['a missing signature', async (_url: string) => undefined],
    [
      'a signature made with another key',
      (url: string) => sign(body, url, { key: 'forged-key' }),
    ],
    [
      'an expired signature',
      (url: string) => sign(body, url, { expiresInSeconds: -60 }),
    ],
    [
      'a signature of another body',
      (url: string) => sign(JSON.stringify({ hello: 'mars' }), url),
    ],
    [
      'a signature for another URL',
      (url: string) => sign(body, url.replace(/counter$/, 'other')),
    ],
  ])('rejects %s with 401 and runs nothing', async (_label, makeSignature) => {
    const { server, executions, url } = await startWith({
      token: 'token',
      currentSigningKey: CURRENT,
      nextSigningKey: NEXT,
    });
    const signature = await makeSignature(url);
    const req = request(server)
      .post('/api/workflows/runners/counter')
      .set('content-type', 'application/json');
    if (signature) req.set('upstash-signature', signature);
    const response = await req.send(body);
    expect(response.status).toBe(401);
    expect(response.body.error.name).toBe('AuthenticationError');
    expect(executions).toEqual([]);
  });

  it('accepts a signature made with the next key (after a rotation)', async () => {
    const { server, executions, url } = await startWith({
      token: 'token',
      currentSigningKey: CURRENT,
      nextSigningKey: NEXT,
    });
    const response = await request(server)
      .post('/api/workflows/runners/counter')
      .set('content-type', 'application/json')
      .set('upstash-signature', await sign(body, url, { key: NEXT }))
      .send(body);
    expect(response.status).toBe(200);
    // The run goes on through the local QStash, which signs with the current key.
    const deadline = Date.now() + 10_000;
    while (!executions.includes('step') && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 50));
    }
    expect(executions).toContain('step');
  });

  it('answers 503 naming the missing keys instead of running unverified', async () => {
    const { server, executions, url } = await startWith({ token: 'token' });
    const response = await request(server)
      .post('/api/workflows/runners/counter')
      .set('content-type', 'application/json')
      .set('upstash-signature', await sign(body, url))
      .send(body);
    expect(response.status).toBe(503);
    expect(response.body.error.message).toMatch(/QSTASH_CURRENT_SIGNING_KEY/);
    expect(executions).toEqual([]);
  });

  it('answers 404 for an unknown runner to a validly signed request', async () => {
    const { server, url } = await startWith({
      token: 'token',
      currentSigningKey: CURRENT,
      nextSigningKey: NEXT,
    });
    const response = await request(server)
      .post('/api/workflows/runners/nope')
      .set('content-type', 'application/json')
      .set(
        'upstash-signature',
        await sign(body, url.replace(/counter$/, 'nope')),
      )
      .send(body);
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe('No runner "nope"');
  });
});
