import { Link } from '@backstage/core-components';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useWorkflowHealth } from '../../hooks/useHealth';
import { describeChecks } from '../HealthPage/describeChecks';
import { healthRowsOf } from '../HealthPage/healthRows';
import { HealthVerdictChip } from '../shared/HealthVerdictChip';
import { useWorkflowHealthPath } from '../shared/links';

/** One line on the entity tab: the workflow's health verdict and where the details are. */
export function HealthSummary({ workflowId }: { workflowId: string }) {
  const health = useWorkflowHealth(workflowId);
  const healthPath = useWorkflowHealthPath();
  let text: string;
  if (health.loading) text = 'Checking…';
  else if (health.error) text = `Health unknown: ${health.error.message}`;
  else text = health.value ? describeChecks(healthRowsOf(health.value)) : '';
  return (
    <Paper component="section" aria-label="Health summary" sx={{ p: 2 }}>
      <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap">
        <Typography variant="h6" component="h3">
          Health
        </Typography>
        {health.value && <HealthVerdictChip verdict={health.value.verdict} />}
        <Typography variant="body2" color="text.secondary">
          {text}
        </Typography>
        <Link to={healthPath(workflowId)}>Variables and probes</Link>
      </Stack>
    </Paper>
  );
}
