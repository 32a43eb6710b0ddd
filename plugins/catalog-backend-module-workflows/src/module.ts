import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { WorkflowsApiClient } from './WorkflowsApiClient';
import { WorkflowsEntityProvider } from './WorkflowsEntityProvider';

const DEFAULT_REFRESH_SECONDS = 60;
const DEFAULT_SYSTEM = 'workflow-operations';

/** The id of the scheduled refresh, as the scheduler lists it. */
export const REFRESH_TASK_ID = 'catalog-workflows-provider:refresh';

/**
 * Publishes the workflows of the workflows plugin as catalog Components.
 *
 * @public
 */
export const catalogModuleWorkflows = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'workflows',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
        rootLifecycle: coreServices.rootLifecycle,
      },
      async init({
        catalog,
        config,
        discovery,
        auth,
        scheduler,
        logger,
        rootLifecycle,
      }) {
        const settings = config.getOptionalConfig(
          'catalog.providers.workflows',
        );
        const refreshSeconds =
          settings?.getOptionalNumber('refreshSeconds') ??
          DEFAULT_REFRESH_SECONDS;
        if (!(refreshSeconds > 0)) {
          throw new Error(
            `catalog.providers.workflows.refreshSeconds must be a positive number, got ${refreshSeconds}`,
          );
        }
        const provider = new WorkflowsEntityProvider({
          client: new WorkflowsApiClient({ discovery, auth }),
          appBaseUrl: config.getString('app.baseUrl'),
          system: settings?.getOptionalString('system') ?? DEFAULT_SYSTEM,
          logger,
        });
        catalog.addEntityProvider(provider);

        // The workflows API answers only once every plugin has started. With
        // several replicas one of them refreshes at a time; each compares with
        // what it published itself, so a change may take a turn or two.
        rootLifecycle.addStartupHook(() =>
          scheduler.scheduleTask({
            id: REFRESH_TASK_ID,
            scope: 'global',
            frequency: { seconds: refreshSeconds },
            timeout: { seconds: Math.max(30, refreshSeconds) },
            fn: async signal => {
              try {
                await provider.refresh(signal);
              } catch (error) {
                logger.warn(
                  `Could not refresh the workflow entities, the catalog keeps the ones published before: ${error}`,
                );
              }
            },
          }),
        );
      },
    });
  },
});
