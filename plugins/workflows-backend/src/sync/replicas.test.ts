import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  POSTGRES_TEST_ID,
} from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import { Client as WorkflowClient } from '@upstash/workflow';
import request from 'supertest';
import { workflowsPlugin } from '../plugin';
import { startQStashProxy } from '../__testUtils__/qstashProxy';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe('two backend replicas on one PostgreSQL', () => {
  it('sync each interval once and share the run history', async () => {
    const knex = await databases.init(POSTGRES_TEST_ID);
    const qstash = await startQStashLocal({ port: 0 });
    const proxy = await startQStashProxy(qstash.url);
    const tracked = {
      id: 'elsewhere',
      title: 'Hosted elsewhere',
      owner: 'group:default/test',
      url: `${qstash.url}/never-called`,
    };
    const replica = () =>
      startTestBackend({
        features: [
          workflowsPlugin,
          mockServices.database.factory({ knex }),
          // The real scheduler: global tasks take a lock in the database.
          schedulerServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              workflows: {
                qstash: { url: proxy.url, token: qstash.token },
                history: { syncIntervalSeconds: 2 },
                tracked: [tracked],
              },
            },
          }),
        ],
      });
    // One after the other: the first one migrates the shared database.
    const a = await replica();
    const b = await replica();
    try {
      // A run that one replica knows from QStash is visible through the other.
      const client = new WorkflowClient({
        baseUrl: qstash.url,
        token: qstash.token,
      });
      const { workflowRunId } = await client.trigger({
        url: tracked.url,
        body: {},
        retries: 0,
      });
      const observeMs = 9_000;
      const started = Date.now();
      await new Promise(r => setTimeout(r, observeMs));
      const inWindow = proxy.listCalls.filter(t => t >= started).length;
      // One replica per 2 s interval: about 4-5 calls, not 9-10.
      expect(inWindow).toBeGreaterThanOrEqual(2);
      expect(inWindow).toBeLessThanOrEqual(6);

      for (const backend of [a, b]) {
        const run = await request(backend.server)
          .get(`/api/workflows/runs/${workflowRunId}`)
          .set('Authorization', mockCredentials.user.header());
        expect(run.status).toBe(200);
        expect(run.body.run.workflowId).toBe('elsewhere');
      }
      const [{ n }] = await knex('workflow_runs')
        .where({ run_id: workflowRunId })
        .count({ n: '*' });
      expect(Number(n)).toBe(1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await proxy.close();
      await qstash.close();
    }
  });
});
