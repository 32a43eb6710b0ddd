/**
 * Frontend of the QStash workflow operations portal.
 *
 * @packageDocumentation
 */
export {
  workflowsPlugin,
  WorkflowsPage,
  FailuresPage,
  SchedulesPage,
  EntityWorkflowContent,
} from './plugin';
export { isWorkflowAvailable } from './components/EntityWorkflowContent/isWorkflowAvailable';
export { workflowsApiRef } from './api/WorkflowsApi';
export type { RunLogDownload, WorkflowsApi } from './api/WorkflowsApi';
export { WorkflowsClient } from './api/WorkflowsClient';
export { ScheduleConflictError } from './api/ScheduleConflictError';
