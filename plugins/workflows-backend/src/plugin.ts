import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { workflowsPermissions } from '@internal/plugin-workflows-common';
import { applyDatabaseMigrations } from './database/migrations';
import { WorkflowStore } from './database/WorkflowStore';
import { createRouter } from './router';
import { readTrackedWorkflows } from './service/trackedWorkflows';

/**
 * The workflows backend plugin: registry, runs and operations of QStash workflows.
 *
 * @public
 */
export const workflowsPlugin = createBackendPlugin({
  pluginId: 'workflows',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
      },
      async init({
        config,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        logger,
      }) {
        const tracked = readTrackedWorkflows(config);
        const db = await applyDatabaseMigrations(database);
        const store = new WorkflowStore(db);
        await store.replaceAll(tracked);
        logger.info(`Registered ${tracked.length} workflow(s)`);

        permissionsRegistry.addPermissions(workflowsPermissions);

        httpRouter.use(
          await createRouter({
            store,
            databaseClient: String(db.client.config.client),
            httpAuth,
            permissions,
            logger,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
