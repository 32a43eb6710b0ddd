import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  WorkflowRunner,
  workflowsRunnersExtensionPoint,
} from '@internal/plugin-workflows-node';
import { workflowsPermissions } from '@internal/plugin-workflows-common';
import { KnexDeliveryTokenStore } from './database/DeliveryTokenStore';
import { applyDatabaseMigrations } from './database/migrations';
import { RunJournal } from './database/RunJournal';
import { KnexStepLeaseStore } from './database/StepLeaseStore';
import { KnexWorkflowDefinitionStore } from './database/WorkflowDefinitionStore';
import { ensureDefaultSchedules } from './runners/defaultSchedules';
import { DeliveryGuard } from './runners/deliveryGuard';
import { readQStashConnection } from './runners/qstashConnection';
import { withReplicaLock } from './database/replicaLock';
import { DeliveryDrain } from './runners/deliveryDrain';
import { RunnerHost } from './runners/RunnerHost';
import { KnexRunStore } from './database/RunStore';
import { UpstashQStashGateway } from './qstash/UpstashQStashGateway';
import { KnexDlqStore } from './database/DlqStore';
import { KnexTriageStore } from './database/TriageStore';
import { KnexScheduleDefinitionStore } from './database/ScheduleDefinitionStore';
import { BackendHealthChecks } from './health/backendChecks';
import { readProbeTimeoutMs } from './health/healthSettings';
import { ProbeResultCache } from './health/ProbeResultCache';
import { AuthorizedHealthService } from './service/AuthorizedHealthService';
import { HealthService } from './service/HealthService';
import { AuthorizedSchedulesService } from './service/AuthorizedSchedulesService';
import { SchedulesService } from './service/SchedulesService';
import { AuthorizedTriageService } from './service/AuthorizedTriageService';
import { AuthorizedWorkflowsService } from './service/AuthorizedWorkflowsService';
import { AuthorizedWorkflowRegistrationService } from './service/AuthorizedWorkflowRegistrationService';
import { WorkflowRegistrationService } from './service/WorkflowRegistrationService';
import { TriageService } from './service/TriageService';
import { DlqSync } from './sync/DlqSync';
import { createRouter } from './service/router';
import { readTrackedWorkflows } from './service/trackedWorkflows';
import { WorkflowsService } from './service/WorkflowsService';
import { readHistorySettings, scheduleHistoryTasks } from './sync/historyTasks';
import { RunSync } from './sync/RunSync';

/** How long a stopping backend waits for runner steps in flight. */
const DEFAULT_DRAIN_SECONDS = 15;

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
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        cache: coreServices.cache,
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
        auditor,
        scheduler,
        cache,
      }) {
        const tracked = readTrackedWorkflows(config);
        const db = await applyDatabaseMigrations(database);
        const store = new KnexWorkflowDefinitionStore(db);
        const journal = new RunJournal(db);
        const connection = readQStashConnection(config);
        const gateway = connection
          ? new UpstashQStashGateway(connection)
          : undefined;
        const runs = new KnexRunStore(db);
        const history = readHistorySettings(config);
        const appBaseUrl = config.getOptionalString('app.baseUrl') ?? '';

        const drain = new DeliveryDrain();
        const host = new RunnerHost({
          drain,
          connection,
          gateway,
          pluginBaseUrl: (
            config.getOptionalString('workflows.runnerBaseUrl') ??
            (await discovery.getExternalBaseUrl('workflows'))
          ).replace(/\/+$/, ''),
          runUrl: (workflowId, runId) =>
            `${appBaseUrl}/workflows/${encodeURIComponent(
              workflowId,
            )}/runs/${encodeURIComponent(runId)}`,
          failureGroupUrl: group =>
            `${appBaseUrl}/failures?group=${encodeURIComponent(group)}`,
          journal,
          deliveryGuard: new DeliveryGuard({
            tokens: new KnexDeliveryTokenStore(db),
            leases: new KnexStepLeaseStore(db),
            logger,
          }),
          logger,
          discordWebhookUrl: config.getOptionalString(
            'workflows.alerts.discordWebhookUrl',
          ),
        });
        runners.forEach(runner => host.add(runner));
        // Plugin shutdown hooks run before the HTTP server and the database
        // close, so steps in flight can still answer and write their journal.
        const drainMs =
          (config.getOptionalNumber('workflows.runnerDrainSeconds') ??
            DEFAULT_DRAIN_SECONDS) * 1000;
        lifecycle.addShutdownHook(async () => {
          const { dropped } = await drain.drain(drainMs);
          if (dropped > 0) {
            logger.warn(
              `Dropped ${dropped} runner deliveries still in flight after ${
                drainMs / 1000
              } s; QStash delivers them again`,
            );
          }
        });

        // Keeps the workflows registered through the API (unless an id is taken now).
        await store.replaceAll([...host.definitions(), ...tracked]);
        logger.info(
          `Registered ${runners.length} runner(s) and ${tracked.length} tracked workflow(s)`,
        );
        const registration = new AuthorizedWorkflowRegistrationService(
          new WorkflowRegistrationService(store),
          permissions,
          auditor,
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
        const service = new AuthorizedWorkflowsService(
          new WorkflowsService({
            workflows: store,
            runs,
            gateway,
            sharedCache: cache,
          }),
          permissions,
          auditor,
        );
        const dlq = new KnexDlqStore(db);
        const triage = new AuthorizedTriageService(
          new TriageService({
            triage: new KnexTriageStore(db),
            dlq,
            runs,
            gateway,
          }),
          () => store.list(),
          permissions,
          auditor,
        );
        const scheduleDefinitions = new KnexScheduleDefinitionStore(db);
        const schedules = new AuthorizedSchedulesService(
          new SchedulesService({
            gateway,
            definitions: scheduleDefinitions,
            workflows: () => store.list(),
          }),
          permissions,
          auditor,
        );
        const health = new AuthorizedHealthService(
          new HealthService({
            runners: new Map(host.list().map(r => [r.id, r])),
            backend: new BackendHealthChecks({
              config,
              connection,
              gateway,
              pingDatabase: () => store.ping(),
              databaseClient: String(db.client.config.client),
              env: process.env,
            }),
            cache: new ProbeResultCache(cache, logger),
            env: process.env,
            probeTimeoutMs: readProbeTimeoutMs(config),
          }),
          () => store.list(),
          permissions,
          auditor,
        );
        httpRouter.use(
          await createRouter({
            service,
            triage,
            schedules,
            health,
            registration,
            pingDatabase: () => store.ping(),
            databaseClient: String(db.client.config.client),
            httpAuth,
            logger,
            streamPollMs: config.getOptionalNumber(
              'workflows.history.streamPollMs',
            ),
          }),
        );
        await scheduleHistoryTasks({
          scheduler,
          sync: gateway
            ? new RunSync({
                gateway,
                store: runs,
                workflows: () => store.list(),
                logger,
              })
            : undefined,
          dlqSync: gateway
            ? new DlqSync({
                gateway,
                store: dlq,
                workflows: () => store.list(),
                logger,
                fullListingEveryMs: history.dlqFullListingMinutes * 60_000,
              })
            : undefined,
          dlq,
          runs,
          settings: history,
          logger,
        });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        lifecycle.addStartupHook(async () => {
          const grouped = await runs.groupUngroupedFailures();
          if (grouped > 0) {
            logger.info(
              `Grouped ${grouped} failed run(s) stored before triage`,
            );
          }
        });

        if (gateway && !disabled) {
          const scheduled = host.list().filter(r => r.schedule);
          lifecycle.addStartupHook(async () => {
            try {
              // Replicas starting together create each schedule once.
              await withReplicaLock(db, 'default-schedules', () =>
                ensureDefaultSchedules(
                  gateway,
                  scheduled.map(r => ({
                    runnerId: r.id,
                    destination: host.urlOf(r.id),
                    cron: r.schedule!.cron,
                    timezone: r.schedule!.timezone ?? 'UTC',
                  })),
                  logger,
                  scheduleDefinitions,
                ),
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
