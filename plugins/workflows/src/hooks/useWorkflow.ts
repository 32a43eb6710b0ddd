import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { workflowsApiRef } from '../api/WorkflowsApi';

/** Every workflow the caller may read, with its stats. */
export function useWorkflows() {
  const api = useApi(workflowsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listWorkflows(),
    [api],
  );
  return { workflows: value, loading, error, retry };
}

/** One workflow with its stats. */
export function useWorkflow(workflowId: string) {
  const api = useApi(workflowsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getWorkflow(workflowId),
    [api, workflowId],
  );
  return { workflow: value, loading, error, retry };
}
