import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { workflowsApiRef } from './api/WorkflowsApi';
import { WorkflowsClient } from './api/WorkflowsClient';
import {
  failuresRouteRef,
  rootRouteRef,
  runRouteRef,
  workflowRouteRef,
} from './routes';

/** The workflows plugin for apps on the legacy frontend system. */
export const workflowsPlugin = createPlugin({
  id: 'workflows',
  apis: [
    createApiFactory({
      api: workflowsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new WorkflowsClient(deps),
    }),
  ],
  routes: {
    root: rootRouteRef,
    failures: failuresRouteRef,
    workflow: workflowRouteRef,
    run: runRouteRef,
  },
});

/** The Workflows page: every workflow the portal knows. */
export const WorkflowsPage = workflowsPlugin.provide(
  createRoutableExtension({
    name: 'WorkflowsPage',
    component: () =>
      import('./components/WorkflowsRouter').then(m => m.WorkflowsRouter),
    mountPoint: rootRouteRef,
  }),
);

/** The Failures page: failures grouped by cause, and their dead letter entries. */
export const FailuresPage = workflowsPlugin.provide(
  createRoutableExtension({
    name: 'FailuresPage',
    component: () =>
      import('./components/FailuresPage').then(m => m.FailuresPage),
    mountPoint: failuresRouteRef,
  }),
);
