import { Progress } from '@backstage/core-components';
import Paper from '@mui/material/Paper';
import { useWorkflowHealth } from '../../hooks/useHealth';
import { LoadError } from '../shared/errors';
import { WorkflowHealthPanel } from './WorkflowHealthPanel';

/** The Health tab of a workflow's page: its variables and probes, and a re-check. */
export function WorkflowHealthTab({ workflowId }: { workflowId: string }) {
  const health = useWorkflowHealth(workflowId);

  let body;
  if (health.loading) {
    body = <Progress />;
  } else if (health.error) {
    body = <LoadError error={health.error} what="health of this workflow" />;
  } else if (health.value) {
    body = (
      <Paper sx={{ p: 2 }}>
        <WorkflowHealthPanel health={health.value} />
      </Paper>
    );
  }
  return <section aria-label="Health of this workflow">{body}</section>;
}
