import { createApiRef } from '@backstage/core-plugin-api';
import type {
  CancelRunResponse,
  DlqActionRequest,
  DlqActionResponse,
  GetRunResponse,
  ListRunsQuery,
  ListRunsResponse,
  ListWorkflowsResponse,
  TriageGroupFailuresResponse,
  TriageQuery,
  TriageResponse,
  TriggerRunRequest,
  TriggerRunResponse,
  WorkflowOverview,
} from '@internal/plugin-workflows-common';

/** The text of a run's log, as the backend names the download. */
export type RunLogDownload = {
  blob: Blob;
  filename: string;
};

/** Talks to the workflows backend plugin; every response is schema-checked. */
export interface WorkflowsApi {
  /** Every workflow the caller may read, with its stats. */
  listWorkflows(): Promise<ListWorkflowsResponse>;
  getWorkflow(workflowId: string): Promise<WorkflowOverview>;
  /** Runs matching the query, newest first; page on with `nextCursor`. */
  listRuns(query: ListRunsQuery): Promise<ListRunsResponse>;
  /** One run and its steps. */
  getRun(runId: string): Promise<GetRunResponse>;
  /**
   * Follows a run: calls `onEvent` with the whole run at connect and on every
   * change. Resolves when the server closes the stream (the run finished),
   * rejects when the stream cannot be read.
   */
  streamRun(
    runId: string,
    onEvent: (event: GetRunResponse) => void,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  downloadRunLog(runId: string): Promise<RunLogDownload>;
  triggerRun(
    workflowId: string,
    request: TriggerRunRequest,
  ): Promise<TriggerRunResponse>;
  cancelRun(runId: string): Promise<CancelRunResponse>;
  /** The failures of the window grouped by workflow, step and error signature. */
  getTriage(query: TriageQuery): Promise<TriageResponse>;
  /** The failed runs and dead letter entries of one group, newest first. */
  getTriageGroupFailures(
    groupId: string,
    query: Pick<TriageQuery, 'from' | 'to'>,
  ): Promise<TriageGroupFailuresResponse>;
  /**
   * Resumes, restarts, retries, redelivers or deletes dead letter entries.
   * Resolves with an outcome per entry, also when some of them failed.
   */
  actOnDlq(request: DlqActionRequest): Promise<DlqActionResponse>;
}

export const workflowsApiRef = createApiRef<WorkflowsApi>({
  id: 'plugin.workflows.service',
});
