import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createRunnerModule,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import { QStashLocal, startQStashLocal } from '@internal/qstash-local';
import { request as httpRequest, OutgoingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { signDelivery } from '../__testUtils__/signDelivery';
import { workflowsPlugin } from '../plugin';

const TEN_MIB = 10 * 1024 * 1024;

/**
 * Sends a POST's headers and never its body, and resolves with the answer.
 * A server that reads the body first never answers: then this rejects.
 */
function postHeadersOnly(
  port: number,
  path: string,
  headers: OutgoingHttpHeaders,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers,
    });
    const timer = setTimeout(() => {
      settled = true;
      req.destroy();
      reject(
        new Error(
          'No answer within 5 s to headers without a body: the server waits for the body',
        ),
      );
    }, 5000);
    req.on('response', res => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('end', () => {
        settled = true;
        clearTimeout(timer);
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.on('error', error => {
      if (settled) return;
      clearTimeout(timer);
      reject(error);
    });
    req.flushHeaders();
  });
}

describe('runner endpoints and unsigned requests', () => {
  let qstash: QStashLocal;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let port: number;
  const executions: string[] = [];

  beforeAll(async () => {
    qstash = await startQStashLocal({ port: 0 });
    backend = await startTestBackend({
      features: [
        workflowsPlugin,
        createRunnerModule({
          id: 'counter',
          title: 'Counter',
          description: 'Counts executions',
          owner: 'group:default/test',
          async run(context) {
            executions.push('body');
            await context.run('count', () => executions.push('step'));
          },
        }),
        mockServices.rootConfig.factory({
          data: { workflows: { qstash: qstashConfigFor(qstash) } },
        }),
      ],
    });
    port = (backend.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await backend.stop();
    await qstash.close();
  });

  const runnerUrl = (id: string) =>
    `http://localhost:${port}/api/workflows/runners/${id}`;

  it.each([
    ['a known runner', 'counter'],
    ['an unknown runner', 'nope'],
  ])(
    'answer 401 to an unsigned request for %s before reading its body',
    async (_label, id) => {
      const response = await postHeadersOnly(
        port,
        `/api/workflows/runners/${id}`,
        {
          'content-type': 'application/json',
          'content-length': String(TEN_MIB),
        },
      );
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body).error).toEqual({
        name: 'AuthenticationError',
        message: 'Missing Upstash-Signature header',
      });
      expect(executions).toEqual([]);
    },
  );

  it.each([
    ['a known runner', 'counter'],
    ['an unknown runner', 'nope'],
  ])(
    'answer 401 to a request for %s signed with another key',
    async (_label, id) => {
      const body = '{"hello":"world"}';
      const response = await request(backend.server)
        .post(`/api/workflows/runners/${id}`)
        .set('content-type', 'application/json')
        .set(
          'upstash-signature',
          await signDelivery(body, runnerUrl(id), { key: 'forged-key' }),
        )
        .send(body);
      expect(response.status).toBe(401);
      expect(response.body.error.name).toBe('AuthenticationError');
      expect(executions).toEqual([]);
    },
  );

  it.each([
    ['jti', /no jti claim/],
    ['exp', /no exp claim/],
  ] as const)(
    'answer 401 to a valid signature without %s, which could not be told from a replay',
    async (claim, message) => {
      const body = '{"hello":"world"}';
      const response = await request(backend.server)
        .post('/api/workflows/runners/counter')
        .set('content-type', 'application/json')
        .set(
          'upstash-signature',
          await signDelivery(body, runnerUrl('counter'), {
            key: qstash.currentSigningKey,
            without: claim,
          }),
        )
        .send(body);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toMatch(message);
      expect(executions).toEqual([]);
    },
  );
});
