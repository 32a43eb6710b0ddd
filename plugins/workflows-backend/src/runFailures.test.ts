import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { WorkflowRunner } from '@internal/plugin-workflows-node';
import {
  createRunnerModule,
  createTestDatabases,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import { Client as WorkflowClient } from '@upstash/workflow';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { workflowsPlugin } from './plugin';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const cases: Array<{
  label: string;
  retries: number;
  run: WorkflowRunner['run'];
  message: string;
  failedStep: string | null;
}> = [
  {
    label: 'the runner throws before its first step',
    retries: 0,
    async run(context) {
      const { sourceUrl } = (context.requestPayload ?? {}) as {
        sourceUrl?: string;
      };
      if (!sourceUrl) throw new Error('settings are missing: sourceUrl');
      await context.run('download', () => sourceUrl);
    },
    message: 'settings are missing: sourceUrl',
    failedStep: null,
  },
  {
    label: 'the first step throws on every attempt',
    retries: 1,
    async run(context) {
      await context.run('download', () => {
        throw new Error('download refused: HTTP 403');
      });
    },
    message: 'download refused: HTTP 403',
    failedStep: 'download',
  },
];

describe('a run that fails before it finished any step', () => {
  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it.each(cases)(
      'is recorded as failed with its error when $label',
      async ({ run, retries, message, failedStep }) => {
        const knex = await databases.init(databaseId);
        const qstash = await startQStashLocal({
          port: 0,
          retryTimeScale: 0.0005,
        });
        const backend = await startTestBackend({
          features: [
            workflowsPlugin,
            createRunnerModule({
              id: 'failing',
              title: 'Failing',
              description: 'Fails early',
              owner: 'group:default/test',
              run,
            }),
            mockServices.database.factory({ knex }),
            mockServices.rootConfig.factory({
              data: {
                app: { baseUrl: 'http://portal.test' },
                workflows: { qstash: qstashConfigFor(qstash) },
              },
            }),
          ],
        });
        try {
          const { port } = backend.server.address() as AddressInfo;
          const { workflowRunId } = await new WorkflowClient({
            baseUrl: qstash.url,
            token: qstash.token,
          }).trigger({
            url: `http://localhost:${port}/api/workflows/runners/failing`,
            body: {},
            retries,
          });

          const listRuns = () =>
            request(backend.server)
              .get('/api/workflows/runs')
              .query({ workflow: 'failing' })
              .set('Authorization', mockCredentials.user.header());
          const deadline = Date.now() + 30_000;
          let runs = (await listRuns()).body.items ?? [];
          while (runs[0]?.status !== 'failed' && Date.now() < deadline) {
            await new Promise(r => setTimeout(r, 100));
            runs = (await listRuns()).body.items ?? [];
          }
          expect(runs).toHaveLength(1);
          expect(runs[0]).toMatchObject({
            runId: workflowRunId,
            status: 'failed',
            failedStep,
          });
          expect(runs[0].error).toContain(message);
        } finally {
          await backend.stop();
          await qstash.close();
        }
      },
    );
  });
});
