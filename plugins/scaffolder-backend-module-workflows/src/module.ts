import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCronValidateAction } from './actions/cronValidate';
import { createPublishLocalAction } from './actions/publishLocal';
import { createRegisterAction } from './actions/register';
import { createRegisterLocalEntityAction } from './actions/registerLocalEntity';
import { createScheduleCreateAction } from './actions/scheduleCreate';
import { WorkflowsApi } from './WorkflowsApi';
import { readLocalDirectory } from './localDirectory';

/**
 * Scaffolder actions of the "new workflow" template: validate a cron,
 * publish locally, register the workflow and create its QStash schedule.
 *
 * @public
 */
export const scaffolderModuleWorkflows = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'workflows',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, discovery, auth, catalog }) {
        const api = new WorkflowsApi({ discovery, auth });
        const localDirectory = readLocalDirectory(config);
        const appBaseUrl = (
          config.getOptionalString('app.baseUrl') ?? ''
        ).replace(/\/+$/, '');
        scaffolder.addActions(
          createCronValidateAction({ api }),
          createPublishLocalAction({ localDirectory }),
          createRegisterLocalEntityAction({ catalog, auth, localDirectory }),
          createRegisterAction({ api, appBaseUrl }),
          createScheduleCreateAction({ api }),
        );
      },
    });
  },
});
