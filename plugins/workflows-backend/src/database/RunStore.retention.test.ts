import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { KnexRunStore } from './RunStore';

const databases = createTestDatabases();
const DAY = 24 * 3600_000;

describe.each(databases.eachSupportedId())(
  'run retention on %p',
  databaseId => {
    it('removes runs that started before the cutoff, with their steps and journal', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: MIGRATIONS_DIRECTORY,
        tableName: 'workflows_knex_migrations',
      });
      const store = new KnexRunStore(knex);
      const now = Date.now();
      for (const [runId, ageDays] of [
        ['wfr_old', 100],
        ['wfr_recent', 10],
      ] as const) {
        const startedAt = new Date(now - ageDays * DAY);
        await store.upsertSyncedRun(
          {
            runId,
            workflowId: 'cars',
            status: 'succeeded',
            startedAt,
            finishedAt: new Date(startedAt.getTime() + 1000),
            label: null,
            dlqId: null,
            failedStep: null,
            error: null,
            steps: [
              {
                position: 1,
                group: 'sequential',
                groupIndex: 1,
                name: 'load',
                type: 'Run',
                state: 'succeeded',
                attempts: 1,
                startedAt,
                finishedAt: startedAt,
                durationMs: 0,
                output: '"ok"',
                error: null,
              },
            ],
          },
          runId,
        );
        await knex('workflow_step_events').insert({
          run_id: runId,
          workflow_id: 'cars',
          step_name: 'load',
          status: 'succeeded',
          attempt: 0,
          started_at: startedAt,
        });
      }

      const removed = await store.pruneStartedBefore(new Date(now - 90 * DAY));
      expect(removed).toBe(1);
      expect(await store.getRun('wfr_old')).toBeUndefined();
      expect(await store.getRun('wfr_recent')).toMatchObject({
        status: 'succeeded',
      });
      for (const table of ['workflow_run_steps', 'workflow_step_events']) {
        const rows = await knex(table).select('run_id');
        expect(rows.map(r => r.run_id)).toEqual(['wfr_recent']);
      }
    });
  },
);
