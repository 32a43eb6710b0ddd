/**
 * Frontend of the QStash workflow operations portal.
 *
 * @packageDocumentation
 */
export { workflowsPlugin, WorkflowsPage, FailuresPage } from './plugin';
export { workflowsApiRef } from './api/WorkflowsApi';
export type { RunLogDownload, WorkflowsApi } from './api/WorkflowsApi';
export { WorkflowsClient } from './api/WorkflowsClient';
