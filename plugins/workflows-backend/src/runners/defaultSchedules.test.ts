import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import { Client } from '@upstash/qstash';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { KnexScheduleDefinitionStore } from '../database/ScheduleDefinitionStore';
import { UpstashQStashGateway } from '../qstash/UpstashQStashGateway';
import { resolveCurrent } from '../schedules/scheduleDefinition';
import { withReplicaLock } from '../database/replicaLock';
import { ensureDefaultSchedules } from './defaultSchedules';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'ensureDefaultSchedules on %p',
  databaseId => {
    let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
    let definitions: KnexScheduleDefinitionStore;
    let knex: Awaited<ReturnType<typeof databases.init>>;
    beforeAll(async () => {
      qstash = await startQStashLocal({ port: 0 });
      knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: MIGRATIONS_DIRECTORY,
        tableName: 'workflows_knex_migrations',
      });
      definitions = new KnexScheduleDefinitionStore(knex);
    });
    afterAll(() => qstash.close());

    it('creates each schedule once, records what it wrote, and keeps an operator-paused one untouched on the next start', async () => {
      const gateway = new UpstashQStashGateway({
        url: qstash.url,
        token: qstash.token,
      });
      const logger = mockServices.logger.mock();
      const schedules = [
        {
          runnerId: 'trigger',
          destination: 'http://portal.test/api/workflows/runners/trigger',
          cron: '*/60 0-10 * * 1-5',
          timezone: 'UTC',
        },
        {
          runnerId: 'report',
          destination: 'http://portal.test/api/workflows/runners/report',
          cron: '0 9 * * 1',
          timezone: 'Asia/Singapore',
        },
      ];

      await expect(
        ensureDefaultSchedules(gateway, schedules, logger, definitions),
      ).resolves.toEqual({
        created: ['workflows-trigger', 'workflows-report'],
        kept: [],
      });

      // What the editor will read: the portal's definition applies, nothing unknown.
      const report = resolveCurrent(
        await gateway.getSchedule('workflows-report'),
        await definitions.get('workflows-report'),
      );
      expect(report).toMatchObject({
        source: 'portal',
        unknown: [],
        definition: {
          cron: '0 9 * * 1',
          timezone: 'Asia/Singapore',
          body: '{}',
          headers: { 'Content-Type': 'application/json' },
          timeoutSeconds: null,
        },
      });

      const client = new Client({ baseUrl: qstash.url, token: qstash.token });
      await client.schedules.pause({ schedule: 'workflows-trigger' });

      // A redeploy: the same call again.
      await expect(
        ensureDefaultSchedules(gateway, schedules, logger, definitions),
      ).resolves.toEqual({
        created: [],
        kept: ['workflows-trigger', 'workflows-report'],
      });

      const all = await client.schedules.list();
      expect(all.map(s => s.scheduleId).sort()).toEqual([
        'workflows-report',
        'workflows-trigger',
      ]);
      const trigger = all.find(s => s.scheduleId === 'workflows-trigger')!;
      expect(trigger.isPaused).toBe(true);
      expect(all.find(s => s.scheduleId === 'workflows-report')!.cron).toBe(
        'CRON_TZ=Asia/Singapore 0 9 * * 1',
      );
    });

    it('creates each schedule once when two replicas start at the same moment', async () => {
      const gateway = new UpstashQStashGateway({
        url: qstash.url,
        token: qstash.token,
      });
      // A slow listing: without a lock, both replicas list before either creates.
      const slowGateway = Object.assign(Object.create(gateway), {
        listSchedules: async () => {
          const listed = await gateway.listSchedules();
          await new Promise(resolve => setTimeout(resolve, 300));
          return listed;
        },
      }) as typeof gateway;
      const schedules = [
        {
          runnerId: 'replicated',
          destination: 'http://portal.test/api/workflows/runners/replicated',
          cron: '0 3 * * *',
          timezone: 'UTC',
        },
      ];
      // Each replica a process of its own: on PostgreSQL, only the
      // database's lock stands between them.
      const lockOfAReplica = (): typeof withReplicaLock => {
        if (databaseId === 'SQLITE_3') return withReplicaLock;
        let isolated!: typeof withReplicaLock;
        jest.isolateModules(() => {
          isolated = require('../database/replicaLock').withReplicaLock;
        });
        return isolated;
      };
      const start = (lock: typeof withReplicaLock) =>
        lock(knex, 'default-schedules', () =>
          ensureDefaultSchedules(
            slowGateway,
            schedules,
            mockServices.logger.mock(),
            definitions,
          ),
        );
      const results = await Promise.all([
        start(lockOfAReplica()),
        start(lockOfAReplica()),
      ]);
      expect(results.flatMap(r => r.created)).toEqual(['workflows-replicated']);
      expect(results.flatMap(r => r.kept)).toEqual(['workflows-replicated']);
    });
  },
);
