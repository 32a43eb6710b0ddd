import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { workflowsRunnersExtensionPoint } from '@internal/plugin-workflows-node';
import knexFactory, { Knex } from 'knex';
import { applySgcarstrendsMigrations } from './ingest';
import { createDatasetRunner } from './runners/datasetRunner';
import { readRunnerSettings } from './runners/runnerSettings';
import { createTriggerRunner } from './runners/triggerRunner';
import { AuthorizedSocialPostsService } from './service/AuthorizedSocialPostsService';
import {
  SAMPLE_DATA_PATH,
  createSampleDataRouter,
} from './service/sampleDataRouter';
import { createSocialPostsRouter } from './service/socialPostsRouter';
import { SocialPostsService } from './service/SocialPostsService';
import { socialPlatforms } from './social';

/**
 * The car registrations, COE results and trigger runners of sgcarstrends.
 *
 * @public
 */
export const workflowsModuleSgcarstrends = createBackendModule({
  pluginId: 'workflows',
  moduleId: 'sgcarstrends',
  register(reg) {
    reg.registerInit({
      deps: {
        runners: workflowsRunnersExtensionPoint,
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
      },
      async init({
        runners,
        config,
        database,
        discovery,
        httpRouter,
        lifecycle,
        auth,
        httpAuth,
        permissions,
        auditor,
      }) {
        const settings = readRunnerSettings(config);

        // The data tables live in the plugin's database unless a target is configured.
        const target = config.getOptional('workflows.sgcarstrends.database');
        let db: Knex;
        if (target) {
          db = knexFactory(target as Knex.Config);
          lifecycle.addShutdownHook(() => db.destroy());
        } else {
          db = await database.getClient();
        }
        await applySgcarstrendsMigrations(db);

        // The samples are served like any other route; the runner downloads
        // them with this plugin's own service token.
        if (!settings.sourceBaseUrl) {
          httpRouter.use(createSampleDataRouter());
        }

        const deps = {
          settings,
          database: async () => db,
          samples: async () => ({
            baseUrl: `${await discovery.getBaseUrl(
              'workflows',
            )}${SAMPLE_DATA_PATH}`,
            fetch: (async (input, init) => {
              const { token } = await auth.getPluginRequestToken({
                onBehalfOf: await auth.getOwnServiceCredentials(),
                targetPluginId: 'workflows',
              });
              const headers = new Headers(init?.headers);
              headers.set('authorization', `Bearer ${token}`);
              return fetch(input, { ...init, headers });
            }) as typeof fetch,
          }),
          env: process.env,
        };
        httpRouter.use(
          createSocialPostsRouter({
            service: new AuthorizedSocialPostsService(
              new SocialPostsService({
                database: deps.database,
                platforms: socialPlatforms.filter(p =>
                  settings.platforms.includes(p.id),
                ),
                env: deps.env,
                dryRun: settings.dryRun,
              }),
              permissions,
            ),
            httpAuth,
            auditor,
          }),
        );

        runners.addRunner(createTriggerRunner(settings));
        runners.addRunner(createDatasetRunner('cars', deps));
        runners.addRunner(createDatasetRunner('coe', deps));
      },
    });
  },
});
