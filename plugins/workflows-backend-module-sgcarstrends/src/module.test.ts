import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
// The module only runs inside its plugin, so the test starts both.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import workflowsPlugin from '@internal/plugin-workflows-backend';
import {
  createTestDatabases,
  POSTGRES_TEST_ID,
} from '@internal/plugin-workflows-node/testUtils';
import { JsonValue } from '@backstage/types';
import { Knex } from 'knex';
import { workflowsModuleSgcarstrends } from './module';

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
