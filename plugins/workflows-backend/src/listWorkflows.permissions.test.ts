import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import request from 'supertest';
import { workflowsPlugin } from './plugin';

const databases = createTestDatabases();

const tracked = ['coe-results', 'cars-update'].map(id => ({
  id,
  title: `Workflow ${id}`,
  description: 'Tracked by URL',
  owner: 'group:default/data',
  url: `https://jobs.example.com/workflows/${id}`,
}));

/** A permission service that decides each request by the workflow it names. */
function policy(denies: (request: EvaluatePermissionRequest) => boolean) {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: denies(r) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      })),
  }).factory;
}

async function listAs(
  databaseId: TestDatabaseId,
  permissions: ReturnType<typeof policy>,
) {
  const knex = await databases.init(databaseId);
  const backend = await startTestBackend({
    features: [
      workflowsPlugin,
      permissions,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: { workflows: { tracked } } }),
    ],
  });
  try {
    return await request(backend.server)
      .get('/api/workflows/workflows')
      .set('Authorization', mockCredentials.user.header());
  } finally {
    await backend.stop();
  }
}

describe('GET /api/workflows/workflows and the read permission', () => {
  it.each(databases.eachSupportedId())(
    'lists only the workflows the policy lets the caller read, on %p',
    async databaseId => {
      const response = await listAs(
        databaseId,
        policy(
          r =>
            r.permission.name === 'workflows.workflow.read' &&
            'resourceRef' in r &&
            r.resourceRef === 'coe-results',
        ),
      );
      expect(response.status).toBe(200);
      expect(response.body.items.map((w: { id: string }) => w.id)).toEqual([
        'cars-update',
      ]);
      expect(response.body.totalCount).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists nothing when the policy denies every workflow, on %p',
    async databaseId => {
      const response = await listAs(
        databaseId,
        policy(() => true),
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ items: [], totalCount: 0 });
    },
  );
});
