import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Paper from '@mui/material/Paper';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import type { WorkflowSummary } from '@internal/plugin-workflows-common';
import { rootRouteRef } from '../../routes';
import { describeCron } from './describeCron';

function ScheduleCell({ workflow }: { workflow: WorkflowSummary }) {
  if (!workflow.schedule) {
    return (
      <Typography variant="body2" color="text.secondary">
        Not scheduled
      </Typography>
    );
  }
  const { cron, timezone } = workflow.schedule;
  return (
    <Stack spacing={0.5}>
      <Typography variant="body2" component="code" fontFamily="monospace">
        {cron}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {describeCron(cron) ?? 'Unreadable cron expression'} ({timezone})
      </Typography>
    </Stack>
  );
}

export function WorkflowsTable({ items }: { items: WorkflowSummary[] }) {
  const workflowsLink = useRouteRef(rootRouteRef)();
  return (
    <TableContainer component={Paper}>
      <Table aria-label="Workflows">
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: '32%' }}>Workflow</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell sx={{ width: '26%' }}>Endpoint</TableCell>
            <TableCell sx={{ width: '20%' }}>Schedule</TableCell>
            <TableCell>Needs</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(workflow => (
            <TableRow key={workflow.id} data-testid={`workflow-${workflow.id}`}>
              <TableCell>
                <Stack spacing={0.5}>
                  <Stack direction="row" spacing={1} alignItems="center">
                    {workflow.source === 'runner' ? (
                      <Link
                        to={`${workflowsLink}/${encodeURIComponent(
                          workflow.id,
                        )}`}
                      >
                        <Typography variant="subtitle2">
                          {workflow.title}
                        </Typography>
                      </Link>
                    ) : (
                      <Typography variant="subtitle2">
                        {workflow.title}
                      </Typography>
                    )}
                    <Chip
                      size="small"
                      variant="outlined"
                      label={
                        workflow.source === 'runner' ? 'Hosted' : 'Tracked'
                      }
                    />
                  </Stack>
                  <Typography variant="caption" color="text.secondary">
                    {workflow.description}
                  </Typography>
                </Stack>
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {workflow.owner}
              </TableCell>
              <TableCell>
                <Typography
                  variant="body2"
                  fontFamily="monospace"
                  sx={{ overflowWrap: 'anywhere' }}
                >
                  {workflow.endpoint}
                </Typography>
              </TableCell>
              <TableCell>
                <ScheduleCell workflow={workflow} />
              </TableCell>
              <TableCell>
                {workflow.requiredEnv.length === 0 ? (
                  <Typography variant="body2" color="text.secondary">
                    No variables
                  </Typography>
                ) : (
                  <Tooltip title={workflow.requiredEnv.join(', ')}>
                    <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
                      {workflow.requiredEnv.length} env variable
                      {workflow.requiredEnv.length === 1 ? '' : 's'}
                    </Typography>
                  </Tooltip>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
