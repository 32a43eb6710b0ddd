import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import request from 'supertest';
import { workflowsPlugin } from './plugin';

const databases = createTestDatabases();

const tracked = [
  {
    id: 'coe-results',
    title: 'COE results update',
    description: 'Downloads the COE bidding results',
    owner: 'group:default/data',
    url: 'https://jobs.example.com/workflows/coe',
    schedule: { cron: '*/60 0-10 * * 1-5', timezone: 'UTC' },
    requiredEnv: ['QSTASH_TOKEN', 'DATABASE_URL'],
  },
];

describe('workflows backend plugin', () => {
  it.each(databases.eachSupportedId())(
    'migrates, reports health and lists tracked workflows on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          workflowsPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: { workflows: { tracked } },
          }),
        ],
      });

      const health = await request(server).get('/api/workflows/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        status: 'ok',
        database: { ok: true },
      });

      const list = await request(server)
        .get('/api/workflows/workflows')
        .set('Authorization', mockCredentials.user.header());
      expect(list.status).toBe(200);
      expect(list.body.totalCount).toBe(1);
      expect(list.body.items[0]).toMatchObject({
        id: 'coe-results',
        title: 'COE results update',
        source: 'config',
        endpoint: 'https://jobs.example.com/workflows/coe',
        schedule: { cron: '*/60 0-10 * * 1-5', timezone: 'UTC' },
        requiredEnv: ['QSTASH_TOKEN', 'DATABASE_URL'],
      });

      expect(await knex.schema.hasTable('workflows')).toBe(true);
    },
  );

  it('answers 401 to a workflow list request without credentials', async () => {
    const { server } = await startTestBackend({
      features: [
        workflowsPlugin,
        mockServices.rootConfig.factory({ data: { workflows: { tracked } } }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const response = await request(server).get('/api/workflows/workflows');
    expect(response.status).toBe(401);
    const health = await request(server).get('/api/workflows/health');
    expect(health.status).toBe(200);
  });

  it('refuses to start with an invalid tracked schedule, naming the key', async () => {
    await expect(
      startTestBackend({
        features: [
          workflowsPlugin,
          mockServices.rootConfig.factory({
            data: {
              workflows: {
                tracked: [{ ...tracked[0], schedule: { cron: '* * *' } }],
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /workflows\.tracked\[0\]\.schedule\.cron must have five fields/,
    );
  });
});
