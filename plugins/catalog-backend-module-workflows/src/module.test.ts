import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  type EntityProvider,
} from '@backstage/plugin-catalog-node';
import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Router } from 'express';
import { RecordingConnection, aWorkflow } from './__testUtils__/workflows';
import { REFRESH_TASK_ID, catalogModuleWorkflows } from './module';

// Stands in for the workflows backend: the list, for service callers only.
const fakeWorkflowsPlugin = createBackendPlugin({
  pluginId: 'workflows',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.get('/workflows', async (req, res, next) => {
          try {
            await httpAuth.credentials(req, { allow: ['service'] });
            res.json({ items: [aWorkflow()], totalCount: 1 });
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

async function startWith(config: object) {
  const providers: EntityProvider[] = [];
  const scheduler = mockServices.scheduler.mock();
  const backend = await startTestBackend({
    extensionPoints: [
      [
        catalogProcessingExtensionPoint,
        {
          addProcessor: jest.fn(),
          addEntityProvider: (
            ...added: Array<EntityProvider | EntityProvider[]>
          ) => providers.push(...added.flat()),
          addPlaceholderResolver: jest.fn(),
          setOnProcessingErrorHandler: jest.fn(),
        },
      ],
    ],
    features: [
      catalogModuleWorkflows,
      fakeWorkflowsPlugin,
      scheduler.factory,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return { backend, providers, scheduler };
}

describe('catalogModuleWorkflows', () => {
  it('adds the provider to the catalog and refreshes it on a global schedule from config', async () => {
    const { backend, providers, scheduler } = await startWith({
      app: { baseUrl: 'http://portal.example.com' },
      catalog: { providers: { workflows: { refreshSeconds: 15 } } },
    });
    try {
      expect(providers.map(p => p.getProviderName())).toEqual(['workflows']);
      const connection = new RecordingConnection();
      await providers[0].connect(connection);

      expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
      const task = scheduler.scheduleTask.mock.calls[0][0];
      expect(task).toMatchObject<
        Partial<SchedulerServiceTaskScheduleDefinition>
      >({
        scope: 'global',
        frequency: { seconds: 15 },
      });
      expect(task.id).toBe(REFRESH_TASK_ID);

      await task.fn(new AbortController().signal);
      const [cars] = connection.published();
      expect(cars.metadata.name).toBe('workflow-cars');
      expect(cars.metadata.links?.[0].url).toBe(
        'http://portal.example.com/workflows/cars',
      );
      expect(cars.spec?.system).toBe('workflow-operations');
    } finally {
      await backend.stop();
    }
  });

  it('refreshes every 60 seconds unless configured otherwise', async () => {
    const { backend, scheduler } = await startWith({
      app: { baseUrl: 'http://portal.example.com' },
    });
    try {
      expect(scheduler.scheduleTask.mock.calls[0][0].frequency).toEqual({
        seconds: 60,
      });
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start with a refresh interval that is not positive', async () => {
    await expect(
      startWith({
        app: { baseUrl: 'http://portal.example.com' },
        catalog: { providers: { workflows: { refreshSeconds: 0 } } },
      }),
    ).rejects.toThrow(/refreshSeconds must be a positive number, got 0/);
  });
});
