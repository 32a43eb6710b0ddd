import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { workflowsApiRef } from './api/WorkflowsApi';
import { WorkflowsClient } from './api/WorkflowsClient';
import {
  failuresRouteRef,
  healthRouteRef,
  rootRouteRef,
  runRouteRef,
  schedulesRouteRef,
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
    schedules: schedulesRouteRef,
    health: healthRouteRef,
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

/** The Schedules page: QStash schedules, edited with a preview and a diff. */
export const SchedulesPage = workflowsPlugin.provide(
  createRoutableExtension({
    name: 'SchedulesPage',
    component: () =>
      import('./components/SchedulesPage').then(m => m.SchedulesPage),
    mountPoint: schedulesRouteRef,
  }),
);

/** The Health page: the variables, config and live probes of every workflow. */
export const HealthPage = workflowsPlugin.provide(
  createRoutableExtension({
    name: 'HealthPage',
    component: () => import('./components/HealthPage').then(m => m.HealthPage),
    mountPoint: healthRouteRef,
  }),
);

/**
 * The Workflow tab of an entity page: runs, schedule and health of the
 * workflow named by the entity's `qstash.upstash.com/workflow-id` annotation.
 * Show it where `isWorkflowAvailable(entity)` holds.
 */
export const EntityWorkflowContent = workflowsPlugin.provide(
  createComponentExtension({
    name: 'EntityWorkflowContent',
    component: {
      lazy: () =>
        import('./components/EntityWorkflowContent').then(
          m => m.EntityWorkflowContent,
        ),
    },
  }),
);
