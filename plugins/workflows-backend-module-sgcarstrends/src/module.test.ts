import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
// The module only runs inside its plugin, so the test starts both.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import workflowsPlugin from '@internal/plugin-workflows-backend';
import {
  createTestDatabases,
  POSTGRES_TEST_ID,
} from '@internal/plugin-workflows-node/testUtils';
import { JsonValue } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { workflowsModuleSgcarstrends } from './module';
import { SAMPLE_DATA_PATH } from './service/sampleDataRouter';

const databases = createTestDatabases();

describe('sgcarstrends module', () => {
  it('writes the data tables to the configured target database, not the plugin database', async () => {
    const pluginDb = await databases.init('SQLITE_3');
    const target = await databases.init(POSTGRES_TEST_ID);
    const backend = await startTestBackend({
      features: [
        workflowsPlugin,
        workflowsModuleSgcarstrends,
        mockServices.database.factory({ knex: pluginDb }),
        mockServices.rootConfig.factory({
          data: {
            workflows: {
              sgcarstrends: {
                database: {
                  client: 'pg',
                  // A test database's connection is a plain object or string.
                  connection: (target.client.config as Knex.Config)
                    .connection as JsonValue,
                },
              },
            },
          },
        }),
      ],
    });
    try {
      for (const table of ['cars', 'coe', 'pqp', 'sgcarstrends_social_posts']) {
        expect(await target.schema.hasTable(table)).toBe(true);
        expect(await pluginDb.schema.hasTable(table)).toBe(false);
      }
      expect(await pluginDb.schema.hasTable('workflow_runs')).toBe(true);
    } finally {
      await backend.stop();
    }
  });

  it('serves the bundled samples to signed-in callers only', async () => {
    const backend = await startTestBackend({
      features: [
        workflowsPlugin,
        workflowsModuleSgcarstrends,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            workflows: {
              sgcarstrends: { source: { useBundledSamples: true } },
            },
          },
        }),
      ],
    });
    try {
      const path = `/api/workflows${SAMPLE_DATA_PATH}/${encodeURIComponent(
        'COE Bidding Results.zip',
      )}`;
      expect((await request(backend.server).get(path)).status).toBe(401);
      const withToken = await request(backend.server)
        .get(path)
        .set('Authorization', mockCredentials.service.header());
      expect(withToken.status).toBe(200);
      expect(withToken.headers['content-type']).toBe('application/zip');
    } finally {
      await backend.stop();
    }
  });

  it('refuses an unknown social platform, naming the setting', async () => {
    await expect(
      startTestBackend({
        features: [
          workflowsPlugin,
          workflowsModuleSgcarstrends,
          mockServices.rootConfig.factory({
            data: {
              workflows: {
                sgcarstrends: { social: { platforms: ['discord', 'myspace'] } },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /workflows\.sgcarstrends\.social\.platforms\[1\]: unknown platform "myspace"/,
    );
  });
});
