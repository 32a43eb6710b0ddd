import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { workflowEntityName } from '@internal/plugin-workflows-common';
import { runRouteRef, workflowRouteRef } from '../../routes';

// Route refs put params into paths as they are; ids are encoded here once.

/** The path of a workflow's page. */
export function useWorkflowPath(): (workflowId: string) => string {
  const link = useRouteRef(workflowRouteRef);
  return workflowId => link({ workflowId: encodeURIComponent(workflowId) });
}

/** The path of a run's page (failure alerts link to the same path). */
export function useRunPath(): (workflowId: string, runId: string) => string {
  const link = useRouteRef(runRouteRef);
  return (workflowId, runId) =>
    link({
      workflowId: encodeURIComponent(workflowId),
      runId: encodeURIComponent(runId),
    });
}

/** The catalog page of the Component the catalog module publishes for a workflow. */
export function useWorkflowEntityPath(): (workflowId: string) => string {
  const link = useRouteRef(entityRouteRef);
  return workflowId =>
    link({
      namespace: 'default',
      kind: 'component',
      // Entity names hold only URL-safe characters.
      name: workflowEntityName(workflowId),
    });
}

/** The health view of a workflow: the Health tab of its page. */
export function useWorkflowHealthPath(): (workflowId: string) => string {
  const workflowPath = useWorkflowPath();
  return workflowId => `${workflowPath(workflowId)}?tab=health`;
}
