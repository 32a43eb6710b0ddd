export { WorkflowRunsPage } from './WorkflowRunsPage';
