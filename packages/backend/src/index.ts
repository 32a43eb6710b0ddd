import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleLocalWorkflows } from '@internal/plugin-scaffolder-backend-module-workflows';
import { signInProviderModules } from './signInProviders';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// GitHub, OIDC or (in development only) guest, as app.signIn.providers lists them.
backend.add(signInProviderModules);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@internal/plugin-catalog-backend-module-workflows'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
// The catalog refuses the Template kind without it.
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@internal/plugin-scaffolder-backend-module-workflows'));
// The catalog locations of workflows published to the local data folder.
backend.add(catalogModuleLocalWorkflows);

backend.add(import('@internal/plugin-workflows-backend'));
backend.add(import('@internal/plugin-workflows-backend-module-sgcarstrends'));

// Backstage only logs a failed startup and keeps the process up, unready:
// exit instead, so that a supervisor starts the replica again.
backend.start().catch(error => {
  console.error(error);
  process.exit(1);
});
