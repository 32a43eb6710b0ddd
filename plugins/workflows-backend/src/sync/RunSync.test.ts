import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createRunnerModule,
  createTestDatabases,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import type { WorkflowSummary } from '@internal/plugin-workflows-common';
import { Client as WorkflowClient } from '@upstash/workflow';
import { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import { KnexRunStore } from '../database/RunStore';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { workflowsPlugin } from '../plugin';
import { UpstashQStashGateway } from '../qstash/UpstashQStashGateway';
import { RunSync } from './RunSync';
import { startQStashProxy } from '../__testUtils__/qstashProxy';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const steps = createRunnerModule({
  id: 'steps',
  title: 'Steps',
  description: 'Two steps',
  owner: 'group:default/test',
  async run(context) {
    await context.run('first', async () => 1);
    await context.run('second', async () => ({ done: true }));
  },
});

async function waitUntilFinished(client: WorkflowClient, ids: string[]) {
  const deadline = Date.now() + 60_000;
  for (const id of ids) {
    for (;;) {
      const { runs } = await client.logs({ workflowRunId: id });
      if (runs[0] && runs[0].workflowState !== 'RUN_STARTED') break;
      if (Date.now() > deadline) throw new Error(`run ${id} did not finish`);
      await new Promise(r => setTimeout(r, 100));
    }
  }
}

describe.each(databases.eachSupportedId())('run sync on %p', databaseId => {
  let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
  let proxy: Awaited<ReturnType<typeof startQStashProxy>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let client: WorkflowClient;
  let knex: Knex;
  let workflow: WorkflowSummary;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  const newSync = (timeoutMs = 10_000) =>
    new RunSync({
      gateway: new UpstashQStashGateway(
        { url: proxy.url, token: qstash.token },
        {
          timeoutMs,
          serverErrorRetries: 2,
          serverErrorBackoffMs: 10,
          rateLimitRetries: 3,
          maxRateLimitWaitMs: 5_000,
        },
      ),
      store: new KnexRunStore(knex),
      workflows: async () => [workflow],
      logger,
    });

  const trigger = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(
        (await client.trigger({ url: workflow.endpoint, body: { i } }))
          .workflowRunId,
      );
    }
    await waitUntilFinished(client, ids);
    return ids;
  };

  beforeAll(async () => {
    qstash = await startQStashLocal({ port: 0, retryTimeScale: 0.0005 });
    proxy = await startQStashProxy(qstash.url);
    // The runner's own database is another one: the sync alone fills `knex`.
    backend = await startTestBackend({
      features: [
        workflowsPlugin,
        steps,
        mockServices.rootConfig.factory({
          data: {
            workflows: {
              qstash: qstashConfigFor(qstash),
              history: { syncIntervalSeconds: 3600 },
            },
          },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    workflow = {
      id: 'steps',
      title: 'Steps',
      description: '',
      owner: 'group:default/test',
      source: 'config',
      endpoint: `http://localhost:${port}/api/workflows/runners/steps`,
      schedule: null,
      requiredEnv: [],
      updatedAt: new Date().toISOString(),
    };
    client = new WorkflowClient({ baseUrl: qstash.url, token: qstash.token });
    knex = await databases.init(databaseId);
    await knex.migrate.latest({
      directory: MIGRATIONS_DIRECTORY,
      tableName: 'workflows_knex_migrations',
    });
    logger = mockServices.logger.mock();
  });
  afterAll(async () => {
    await backend?.stop();
    await proxy?.close();
    await qstash?.close();
  });

  it('imports every run with its steps, then costs one list call when nothing is new', async () => {
    const ids = await trigger(12);
    const sync = newSync();
    const [first] = await sync.syncAll();
    expect(first.error).toBeUndefined();
    expect(first.runsWritten).toBe(12);
    expect(first.listCalls).toBe(2); // 10 runs a page

    const runs = await knex('workflow_runs').whereIn('run_id', ids);
    expect(runs).toHaveLength(12);
    expect(new Set(runs.map(r => r.status))).toEqual(new Set(['succeeded']));
    const store = new KnexRunStore(knex);
    const stepsOfOne = await store.getSteps(ids[0]);
    expect(stepsOfOne.map(s => s.name)).toEqual([
      'Initial payload',
      'first',
      'second',
    ]);
    expect(stepsOfOne[2].output).toBe('{"done":true}');

    const [second] = await sync.syncAll();
    expect(second).toMatchObject({ listCalls: 1, runsWritten: 0 });

    const [newOne] = await trigger(1);
    const [third] = await sync.syncAll();
    expect(third).toMatchObject({ listCalls: 1, runsWritten: 1 });
    expect(await store.getRun(newOne)).toMatchObject({ status: 'succeeded' });
    // Synced twice, stored once.
    const [{ n }] = await knex('workflow_runs').count({ n: '*' });
    expect(Number(n)).toBe(13);
  });

  it('waits out a 429, retries a 500 and a timeout, and keeps data when QStash stays down', async () => {
    await trigger(1);
    const sync = newSync(300);
    proxy.faults.push('429');
    const started = Date.now();
    const [afterRateLimit] = await sync.syncAll();
    expect(afterRateLimit.error).toBeUndefined();
    expect(afterRateLimit.runsWritten).toBe(1);
    // It waited for the reset instead of hammering QStash.
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);

    await trigger(1);
    proxy.faults.push('500', 'hang');
    const [afterErrors] = await sync.syncAll();
    expect(afterErrors.error).toBeUndefined();
    expect(afterErrors.runsWritten).toBe(1);

    const before = await knex('workflow_runs').count({ n: '*' });
    const watermark = await new KnexRunStore(knex).readSyncWatermark('steps');
    await trigger(1);
    proxy.faults.push('500', '500', '500');
    const [down] = await sync.syncAll();
    expect(down.error).toMatch(/QStash could not list the runs of .*HTTP 500/);
    expect(await knex('workflow_runs').count({ n: '*' })).toEqual(before);
    expect(await new KnexRunStore(knex).readSyncWatermark('steps')).toBe(
      watermark,
    );
    const state = await knex('workflow_sync_state')
      .where({ workflow_id: 'steps' })
      .first();
    expect(state.last_error).toContain('HTTP 500');

    // The next pass catches up.
    const [recovered] = await sync.syncAll();
    expect(recovered).toMatchObject({ runsWritten: 1 });
    expect(recovered.error).toBeUndefined();
  });

  it('writes no duplicate rows when two instances sync at the same time', async () => {
    await trigger(3);
    const reports = await Promise.all([
      newSync().syncAll(),
      newSync().syncAll(),
    ]);
    expect(reports.flat().every(r => r.error === undefined)).toBe(true);
    const duplicates = await knex('workflow_runs')
      .select('run_id')
      .count({ n: '*' })
      .groupBy('run_id')
      .havingRaw('count(*) > 1');
    expect(duplicates).toEqual([]);
    const stepDuplicates = await knex('workflow_run_steps')
      .select('run_id', 'position')
      .count({ n: '*' })
      .groupBy('run_id', 'position')
      .havingRaw('count(*) > 1');
    expect(stepDuplicates).toEqual([]);
  });
});
