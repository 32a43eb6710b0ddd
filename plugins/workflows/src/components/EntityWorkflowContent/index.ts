export { EntityWorkflowContent } from './EntityWorkflowContent';
export { isWorkflowAvailable } from './isWorkflowAvailable';
