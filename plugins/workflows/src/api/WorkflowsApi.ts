import { createApiRef } from '@backstage/core-plugin-api';
import type { ListWorkflowsResponse } from '@internal/plugin-workflows-common';

/** Talks to the workflows backend plugin. */
export interface WorkflowsApi {
  listWorkflows(): Promise<ListWorkflowsResponse>;
}

export const workflowsApiRef = createApiRef<WorkflowsApi>({
  id: 'plugin.workflows.service',
});
