import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'workflows' });

/** Failures grouped by cause, a page of its own; alerts link to `?group=<groupId>`. */
export const failuresRouteRef = createRouteRef({ id: 'workflows/failures' });

/** QStash schedules, a page of its own; `?workflow=`, `?edit=` and `?new=` open views of it. */
export const schedulesRouteRef = createRouteRef({ id: 'workflows/schedules' });

/** The env-var and probe health of every workflow, a page of its own; `?verdict=` filters it. */
export const healthRouteRef = createRouteRef({ id: 'workflows/health' });

/** One workflow: its stats, schedule and runs. */
export const workflowRouteRef = createSubRouteRef({
  id: 'workflows/workflow',
  parent: rootRouteRef,
  path: '/:workflowId',
});

/** One run and its steps; failure alerts link here, keep the path. */
export const runRouteRef = createSubRouteRef({
  id: 'workflows/run',
  parent: rootRouteRef,
  path: '/:workflowId/runs/:runId',
});
