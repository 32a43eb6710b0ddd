import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createRunnerModule,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import { createHash, randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import request from 'supertest';
import { workflowsPlugin } from '../plugin';

jest.setTimeout(60_000);

/** A step that runs until the test lets it finish. */
function gatedRunner() {
  const state = {
    started: 0,
    finished: 0,
    release: () => {},
  };
  const gate = new Promise<void>(resolve => {
    state.release = resolve;
  });
  const module = createRunnerModule({
    id: 'slow',
    title: 'Slow step',
    description: 'Waits in its first step',
    owner: 'group:default/test',
    async run(context) {
      await context.run('wait', async () => {
        state.started += 1;
        await gate;
        state.finished += 1;
        return 'done';
      });
    },
  });
  return { module, state };
}

async function waitFor(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** A delivery QStash could have sent: signed with the server's current key. */
async function signedDelivery(url: string, key: string, body: string) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    body: createHash('sha256').update(body).digest('base64url'),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(url)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(key));
}

describe('runner deliveries while the backend stops', () => {
  let qstash: Awaited<ReturnType<typeof startQStashLocal>>;

  beforeAll(async () => {
    qstash = await startQStashLocal({ port: 0, retryTimeScale: 0.001 });
  });
  afterAll(() => qstash?.close());

  const start = async (drainSeconds: number) => {
    const { module, state } = gatedRunner();
    const warnings: string[] = [];
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    logger.warn.mockImplementation(message => {
      warnings.push(String(message));
    });
    const backend = await startTestBackend({
      features: [
        workflowsPlugin,
        module,
        logger.factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.test' },
            workflows: {
              qstash: qstashConfigFor(qstash),
              runnerDrainSeconds: drainSeconds,
            },
          },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    const runnerUrl = `http://localhost:${port}/api/workflows/runners/slow`;
    const triggered = await request(backend.server)
      .post('/api/workflows/workflows/slow/trigger')
      .set('Authorization', mockCredentials.user.header())
      .send({});
    expect(triggered.status).toBe(201);
    await waitFor(() => state.started === 1, 'the step to start');
    return { backend, state, runnerUrl, warnings };
  };

  it('refuses new deliveries with 503 and waits for the step in flight to finish', async () => {
    const { backend, state, runnerUrl } = await start(20);
    let stopped = false;
    const stopping = backend.stop().then(() => {
      stopped = true;
    });
    // A new delivery during the drain is refused before anything runs.
    const body = JSON.stringify({ hello: 'again' });
    const refused = await fetch(runnerUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'upstash-signature': await signedDelivery(
          runnerUrl,
          qstash.currentSigningKey,
          body,
        ),
      },
      body,
    });
    expect(refused.status).toBe(503);
    expect((await refused.json()).error.message).toContain('shutting down');
    expect(state.started).toBe(1);

    // Still waiting for the step: the backend has not stopped.
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    state.release();
    await stopping;
    expect(state.finished).toBe(1);
  });

  it('drops a step that outlasts the drain time, so that the backend still stops, and says so', async () => {
    const { backend, state, warnings } = await start(0.5);
    const began = Date.now();
    await backend.stop();
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(state.finished).toBe(0);
    expect(warnings.join('\n')).toContain(
      'Dropped 1 runner deliveries still in flight after 0.5 s',
    );
    state.release();
  });
});
