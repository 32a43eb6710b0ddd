import { Link } from '@backstage/core-components';
import type { WorkflowHealth } from '@internal/plugin-workflows-common';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useWorkflowHealthPath } from '../shared/links';
import { WorkflowHealthPanel } from './WorkflowHealthPanel';

/** One workflow on the health page, titled with a link to its own health view. */
export function WorkflowHealthSection({ health }: { health: WorkflowHealth }) {
  const healthPath = useWorkflowHealthPath();
  return (
    <Paper
      component="section"
      aria-label={`Health of ${health.workflowTitle}`}
      data-testid={`health-${health.workflowId}`}
      sx={{ p: 2 }}
    >
      <WorkflowHealthPanel
        health={health}
        title={
          <Link to={healthPath(health.workflowId)}>
            <Typography variant="h6" component="h2">
              {health.workflowTitle}
            </Typography>
          </Link>
        }
      />
    </Paper>
  );
}
