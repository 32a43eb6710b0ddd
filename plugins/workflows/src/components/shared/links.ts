import { useRouteRef } from '@backstage/core-plugin-api';
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
