import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import { readLocalDirectory } from './localDirectory';

/**
 * Lets the catalog take the `file` locations that
 * `workflows:catalog:register-local` registers. Only when
 * `workflows.scaffolder.localDirectory` is set (the embedded default):
 * otherwise the catalog keeps its default, `url` locations only.
 *
 * @public
 */
export const catalogModuleLocalWorkflows = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'local-workflows',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        locations: catalogLocationsExtensionPoint,
      },
      async init({ config, locations }) {
        if (readLocalDirectory(config)) {
          locations.setAllowedLocationTypes(['url', 'file']);
        }
      },
    });
  },
});
