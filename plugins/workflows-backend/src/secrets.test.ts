import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
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
import { Client as WorkflowClient } from '@upstash/workflow';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { workflowsPlugin } from './plugin';

jest.setTimeout(60_000);

const ALERT_WEBHOOK =
  'https://discord.test/api/webhooks/99/alert-webhook-secret-token';

/** Every line any plugin logged, with its metadata. */
function capturingLogger(lines: string[]): LoggerService {
  const write =
    (level: string) =>
    (message: string, meta?: Error | Record<string, unknown>) => {
      lines.push(
        `${level} ${message} ${
          meta ? JSON.stringify(meta, Object.getOwnPropertyNames(meta)) : ''
        }`,
      );
    };
  const logger: LoggerService = {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: () => logger,
  };
  return logger;
}

describe('secrets stay in the backend', () => {
  it('never appear in API responses, runner answers, alerts or logs', async () => {
    const logLines: string[] = [];
    const alerts = setupServer(
      http.post(ALERT_WEBHOOK, () =>
        HttpResponse.json({ message: 'nope' }, { status: 500 }),
      ),
    );
    alerts.listen({ onUnhandledRequest: 'bypass' });
    const qstash = await startQStashLocal({ port: 0, retryTimeScale: 0.0005 });
    const secrets = [
      qstash.token,
      qstash.currentSigningKey,
      qstash.nextSigningKey,
      ALERT_WEBHOOK,
      'alert-webhook-secret-token',
    ];

    const failingRunner = createRunnerModule({
      id: 'failing',
      title: 'Failing',
      description: 'Always fails',
      owner: 'group:default/test',
      requiredEnv: ['QSTASH_TOKEN'],
      async run(context) {
        await context.run('explode', () => {
          throw new Error('the step failed');
        });
      },
    });

    const backend = await startTestBackend({
      features: [
        workflowsPlugin,
        failingRunner,
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => capturingLogger(logLines),
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.test' },
            workflows: {
              qstash: qstashConfigFor(qstash),
              alerts: { discordWebhookUrl: ALERT_WEBHOOK },
            },
          },
        }),
      ],
    });

    try {
      const { port } = backend.server.address() as AddressInfo;
      const client = new WorkflowClient({
        baseUrl: qstash.url,
        token: qstash.token,
      });
      const { workflowRunId } = await client.trigger({
        url: `http://localhost:${port}/api/workflows/runners/failing`,
        body: {},
        retries: 0,
      });
      const deadline = Date.now() + 30_000;
      let status = '';
      while (status !== 'failed' && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
        const run = await request(backend.server)
          .get(`/api/workflows/runs/${workflowRunId}`)
          .set('Authorization', mockCredentials.user.header());
        status = run.body.run?.status ?? '';
      }
      expect(status).toBe('failed');

      const responses = await Promise.all([
        request(backend.server).get('/api/workflows/health'),
        request(backend.server)
          .get('/api/workflows/workflows')
          .set('Authorization', mockCredentials.user.header()),
        request(backend.server)
          .get('/api/workflows/runs?workflow=failing')
          .set('Authorization', mockCredentials.user.header()),
        request(backend.server)
          .get(`/api/workflows/runs/${workflowRunId}`)
          .set('Authorization', mockCredentials.user.header()),
        request(backend.server)
          .get(`/api/workflows/runs/${workflowRunId}/log`)
          .set('Authorization', mockCredentials.user.header()),
        request(backend.server)
          .post('/api/workflows/runners/failing')
          .set('upstash-signature', 'forged')
          .send('{}'),
      ]);
      expect(responses[1].body.items[0].requiredEnv).toEqual(['QSTASH_TOKEN']);
      expect(
        logLines.some(l => l.includes('alert') && l.includes('HTTP 500')),
      ).toBe(true);

      const everything = [
        ...responses.map(r =>
          JSON.stringify({ headers: r.headers, body: r.body, text: r.text }),
        ),
        ...logLines,
      ].join('\n');
      for (const secret of secrets) {
        expect(everything).not.toContain(secret);
      }
    } finally {
      await backend.stop();
      await qstash.close();
      alerts.close();
    }
  });
});
