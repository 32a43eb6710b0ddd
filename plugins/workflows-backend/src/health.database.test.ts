import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import request from 'supertest';
import { workflowsPlugin } from './plugin';

const databases = createTestDatabases();

describe('GET /api/workflows/health', () => {
  it.each(databases.eachSupportedId())(
    'answers 503 degraded once the database is gone, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [workflowsPlugin, mockServices.database.factory({ knex })],
      });
      try {
        const healthy = await request(backend.server).get(
          '/api/workflows/health',
        );
        expect(healthy.status).toBe(200);
        expect(healthy.body).toMatchObject({
          status: 'ok',
          database: { ok: true },
        });

        // Every connection closed and none to be had: the database is gone.
        await knex.destroy();

        const gone = await request(backend.server).get('/api/workflows/health');
        expect(gone.status).toBe(503);
        expect(gone.body).toMatchObject({
          status: 'degraded',
          database: { ok: false, error: 'The database did not answer' },
        });
      } finally {
        await backend.stop();
      }
    },
  );
});
