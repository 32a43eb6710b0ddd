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
  HealthPage,
  EntityWorkflowContent,
} from './plugin';
export { isWorkflowAvailable } from './components/EntityWorkflowContent/isWorkflowAvailable';
export { workflowsApiRef } from './api/WorkflowsApi';
export { formatFireTime } from './components/SchedulesPage/formatFireTime';
export type {
  HealthRecheckOptions,
  RunLogDownload,
  WorkflowsApi,
} from './api/WorkflowsApi';
export { WorkflowsClient } from './api/WorkflowsClient';
export { ScheduleConflictError } from './api/ScheduleConflictError';
