import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  WorkflowRunner,
  workflowsRunnersExtensionPoint,
} from '@internal/plugin-workflows-node';
import { workflowsPermissions } from '@internal/plugin-workflows-common';
import { applyDatabaseMigrations } from './database/migrations';
import { RunJournal } from './database/RunJournal';
import { WorkflowStore } from './database/WorkflowStore';
import { createRouter } from './router';
import { ensureDefaultSchedules } from './runners/defaultSchedules';
import { readQStashConnection } from './runners/qstashConnection';
import { RunnerHost } from './runners/RunnerHost';
import { readTrackedWorkflows } from './service/trackedWorkflows';

/**
 * The workflows backend plugin: registry, runs and operations of QStash workflows.
 *
 * @public
 */
export const workflowsPlugin = createBackendPlugin({
  pluginId: 'workflows',
  register(env) {
    const runners: WorkflowRunner<unknown>[] = [];
    env.registerExtensionPoint(workflowsRunnersExtensionPoint, {
      addRunner(runner) {
        runners.push(runner as WorkflowRunner<unknown>);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        config,
        database,
        discovery,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        logger,
        lifecycle,
      }) {
        const tracked = readTrackedWorkflows(config);
        const db = await applyDatabaseMigrations(database);
        const store = new WorkflowStore(db);
        const journal = new RunJournal(db);
        const connection = readQStashConnection(config);
        const appBaseUrl = config.getOptionalString('app.baseUrl') ?? '';

        const host = new RunnerHost({
          connection,
          pluginBaseUrl: (
            config.getOptionalString('workflows.runnerBaseUrl') ??
            (await discovery.getExternalBaseUrl('workflows'))
          ).replace(/\/+$/, ''),
          runUrl: (workflowId, runId) =>
            `${appBaseUrl}/workflows/${encodeURIComponent(
              workflowId,
            )}/runs/${encodeURIComponent(runId)}`,
          journal,
          logger,
          discordWebhookUrl: config.getOptionalString(
            'workflows.alerts.discordWebhookUrl',
          ),
        });
        runners.forEach(runner => host.add(runner));

        await store.replaceAll([...host.definitions(), ...tracked]);
        logger.info(
          `Registered ${runners.length} runner(s) and ${tracked.length} tracked workflow(s)`,
        );
        const disabled = runners.length > 0 ? host.disabledReason() : undefined;
        if (disabled) logger.warn(disabled);

        permissionsRegistry.addPermissions(workflowsPermissions);

        // Runner routes first: they need the raw body, before any JSON parser.
        httpRouter.use(host.router());
        httpRouter.addAuthPolicy({
          path: '/runners',
          allow: 'unauthenticated',
        });
        httpRouter.use(
          await createRouter({
            store,
            journal,
            databaseClient: String(db.client.config.client),
            httpAuth,
            permissions,
            logger,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        if (connection && !disabled) {
          const scheduled = host.list().filter(r => r.schedule);
          lifecycle.addStartupHook(async () => {
            try {
              await ensureDefaultSchedules(
                connection,
                scheduled.map(r => ({
                  runnerId: r.id,
                  destination: host.urlOf(r.id),
                  cron: r.schedule!.cron,
                  timezone: r.schedule!.timezone ?? 'UTC',
                })),
                logger,
              );
            } catch (error) {
              logger.warn(
                `Could not check the default QStash schedules: ${
                  (error as Error).message
                }`,
              );
            }
          });
        }
      },
    });
  },
});
