import { Route, Routes } from 'react-router-dom';
import { WorkflowRunsPage } from './WorkflowRunsPage';
import { WorkflowsPage } from './WorkflowsPage';

/** The plugin's pages: the workflow list, and the runs of one workflow. */
export function WorkflowsRouter() {
  return (
    <Routes>
      <Route path="/" element={<WorkflowsPage />} />
      <Route path="/:workflowId" element={<WorkflowRunsPage />} />
      <Route path="/:workflowId/runs/:runId" element={<WorkflowRunsPage />} />
    </Routes>
  );
}
