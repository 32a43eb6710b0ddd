import { Route, Routes } from 'react-router-dom';
import { RunPage } from './RunPage';
import { WorkflowPage } from './WorkflowPage';
import { WorkflowsPage } from './WorkflowsPage';

/** The plugin's pages: all workflows, one workflow, one run. */
export function WorkflowsRouter() {
  return (
    <Routes>
      <Route path="/" element={<WorkflowsPage />} />
      <Route path="/:workflowId" element={<WorkflowPage />} />
      <Route path="/:workflowId/runs/:runId" element={<RunPage />} />
    </Routes>
  );
}
