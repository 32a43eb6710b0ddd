import { createApiRef } from '@backstage/core-plugin-api';
import type {
  GetRunResponse,
  ListRunsResponse,
  ListWorkflowsResponse,
} from '@internal/plugin-workflows-common';

/** Talks to the workflows backend plugin. */
export interface WorkflowsApi {
  listWorkflows(): Promise<ListWorkflowsResponse>;
  /** Runs of a hosted runner, newest first. */
  listRuns(workflowId: string): Promise<ListRunsResponse>;
  /** One run and the journal of its steps. */
  getRun(workflowId: string, runId: string): Promise<GetRunResponse>;
}

export const workflowsApiRef = createApiRef<WorkflowsApi>({
  id: 'plugin.workflows.service',
});
