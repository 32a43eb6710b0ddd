import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { workflowsRunnersExtensionPoint } from '@internal/plugin-workflows-node';
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import { workflowsPlugin } from '../plugin';

const CURRENT = 'sig_current_0123456789abcdef';
const NEXT = 'sig_next_0123456789abcdef';
const RUNNER_URL = 'http://portal.test/api/workflows/runners/counter';

function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('base64url');
}

async function sign(
  body: string,
  options: { key?: string; url?: string; expiresInSeconds?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ body: bodyHash(body) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(options.url ?? RUNNER_URL)
    .setIssuedAt(now - 10)
    .setNotBefore(now - 10)
    .setExpirationTime(now + (options.expiresInSeconds ?? 300))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(options.key ?? CURRENT));
}

async function startWith(qstash: Record<string, string>) {
  const executions: string[] = [];
  const counterModule = createBackendModule({
    pluginId: 'workflows',
    moduleId: 'counter-runner',
    register(reg) {
      reg.registerInit({
        deps: { runners: workflowsRunnersExtensionPoint },
        async init({ runners }) {
          runners.addRunner({
            id: 'counter',
            title: 'Counter',
            description: 'Counts executions',
            owner: 'group:default/test',
            async run(context) {
              executions.push('body');
              await context.run('count', () => executions.push('step'));
            },
          });
        },
      });
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
            runnerBaseUrl: 'http://portal.test/api/workflows',
            qstash: { url: 'http://127.0.0.1:9', ...qstash },
          },
        },
      }),
    ],
  });
  return { server, executions };
}

describe('runner endpoint signature checks', () => {
  const body = JSON.stringify({ hello: 'world' });

  it.each([
    ['a missing signature', async () => undefined],
    ['a signature made with another key', () => sign(body, { key: 'forged-key' })],
    ['an expired signature', () => sign(body, { expiresInSeconds: -60 })],
    ['a signature of another body', () => sign(JSON.stringify({ hello: 'mars' }))],
    [
      'a signature for another URL',
      () => sign(body, { url: 'http://portal.test/api/workflows/runners/other' }),
    ],
  ])('rejects %s with 401 and runs nothing', async (_label, makeSignature) => {
    const { server, executions } = await startWith({
      token: 'token',
      currentSigningKey: CURRENT,
      nextSigningKey: NEXT,
    });
    const signature = await makeSignature();
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
    const { server } = await startWith({
      token: 'token',
      currentSigningKey: CURRENT,
      nextSigningKey: NEXT,
    });
    const response = await request(server)
      .post('/api/workflows/runners/counter')
      .set('content-type', 'application/json')
      .set('upstash-signature', await sign(body, { key: NEXT }))
      .send(body);
    // Past verification the SDK tries to reach QStash, which this test has not.
    expect(response.status).not.toBe(401);
  });

  it('answers 503 naming the missing keys instead of running unverified', async () => {
    const { server, executions } = await startWith({ token: 'token' });
    const response = await request(server)
      .post('/api/workflows/runners/counter')
      .set('content-type', 'application/json')
      .set('upstash-signature', await sign(body))
      .send(body);
    expect(response.status).toBe(503);
    expect(response.body.error.message).toMatch(/QSTASH_CURRENT_SIGNING_KEY/);
    expect(executions).toEqual([]);
  });

  it('answers 404 for an unknown runner', async () => {
    const { server } = await startWith({
      token: 'token',
      currentSigningKey: CURRENT,
      nextSigningKey: NEXT,
    });
    const response = await request(server)
      .post('/api/workflows/runners/nope')
      .send(body);
    expect(response.status).toBe(404);
  });
});
