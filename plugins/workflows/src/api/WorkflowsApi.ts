import { createApiRef } from '@backstage/core-plugin-api';
import type {
  CancelRunResponse,
  CreateScheduleRequest,
  DlqActionRequest,
  DlqActionResponse,
  EnvHealthResponse,
  GetRunResponse,
  ListRunsQuery,
  ListRunsResponse,
  ListSchedulesResponse,
  ListWorkflowsResponse,
  SchedulePreviewRequest,
  SchedulePreviewResponse,
  ScheduleSaveResponse,
  ScheduleView,
  TriageGroupFailuresResponse,
  TriageQuery,
  TriageResponse,
  TriggerRunRequest,
  TriggerRunResponse,
  UpdateScheduleRequest,
  WorkflowHealth,
  WorkflowOverview,
} from '@internal/plugin-workflows-common';

/** The text of a run's log, as the backend names the download. */
export type RunLogDownload = {
  blob: Blob;
  filename: string;
};

/** How far a re-check of a workflow's health goes. */
export type HealthRecheckOptions = {
  /** Also ask the social platforms who the credentials belong to; posts nothing. */
  probePlatforms?: boolean;
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
  /** The QStash schedules the caller may read, known destinations or not. */
  listSchedules(): Promise<ListSchedulesResponse>;
  getSchedule(scheduleId: string): Promise<ScheduleView>;
  /**
   * Checks a proposed definition and answers with its description, next fire
   * times and changes; writes nothing. A 400 names the offending field.
   */
  previewSchedule(
    request: SchedulePreviewRequest,
  ): Promise<SchedulePreviewResponse>;
  createSchedule(request: CreateScheduleRequest): Promise<ScheduleSaveResponse>;
  /**
   * Rejects with a `ScheduleConflictError` (both versions) when the schedule
   * changed since `request.expectedVersion` was loaded.
   */
  updateSchedule(
    scheduleId: string,
    request: UpdateScheduleRequest,
  ): Promise<ScheduleSaveResponse>;
  deleteSchedule(scheduleId: string): Promise<void>;
  pauseSchedule(scheduleId: string): Promise<ScheduleView>;
  resumeSchedule(scheduleId: string): Promise<ScheduleView>;
  /** The env-var and probe health of every workflow the caller may read. */
  getEnvHealth(): Promise<EnvHealthResponse>;
  /** The health of one workflow; probes may come from the backend's 60 s cache. */
  getWorkflowHealth(workflowId: string): Promise<WorkflowHealth>;
  /**
   * Probes one workflow again past the cache and answers with the fresh
   * results. Needs the run trigger permission on the workflow (403 otherwise).
   */
  recheckWorkflowHealth(
    workflowId: string,
    options?: HealthRecheckOptions,
  ): Promise<WorkflowHealth>;
}

export const workflowsApiRef = createApiRef<WorkflowsApi>({
  id: 'plugin.workflows.service',
});
