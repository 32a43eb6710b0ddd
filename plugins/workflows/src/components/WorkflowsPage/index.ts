export { WorkflowsPage } from './WorkflowsPage';
