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
import type { WorkflowOverview } from '@internal/plugin-workflows-common';
import { useMemo } from 'react';
import { useEnvHealth } from '../../hooks/useHealth';
import { formatDuration } from '../shared/formatDuration';
import {
  useRunPath,
  useWorkflowEntityPath,
  useWorkflowPath,
} from '../shared/links';
import { RunStatusChip, runStatusLabel } from '../shared/RunStatusChip';
import { ScheduleText } from '../shared/ScheduleText';
import { formatSuccessRate } from '../shared/formatSuccessRate';
import { RelativeTime } from '../shared/time';
import { HealthBadgeCell, type TableHealth } from './HealthBadgeCell';

const nowrap = { whiteSpace: 'nowrap' } as const;

function LastRunCell({ workflow }: { workflow: WorkflowOverview }) {
  const runPath = useRunPath();
  const { lastRun } = workflow.stats;
  if (!lastRun) {
    return (
      <Typography variant="body2" color="text.secondary" sx={nowrap}>
        No runs yet
      </Typography>
    );
  }
  return (
    <Stack spacing={0.5} alignItems="flex-start">
      <Link
        to={runPath(workflow.id, lastRun.runId)}
        aria-label={`Last run of ${workflow.title}: ${runStatusLabel(
          lastRun.status,
        )}`}
      >
        <RunStatusChip status={lastRun.status} />
      </Link>
      <Typography variant="caption" color="text.secondary">
        <RelativeTime iso={lastRun.startedAt} />
      </Typography>
    </Stack>
  );
}

function LastSevenDaysCell({ workflow }: { workflow: WorkflowOverview }) {
  const { successRate7d, runs7d, p50DurationMs7d } = workflow.stats;
  return (
    <Stack spacing={0.25} sx={nowrap}>
      <Typography variant="body2">
        {successRate7d === null
          ? 'No finished runs'
          : `${formatSuccessRate(successRate7d)} succeeded`}
      </Typography>
      {runs7d > 0 && (
        <Typography variant="caption" color="text.secondary">
          of {runs7d} finished run{runs7d === 1 ? '' : 's'}
        </Typography>
      )}
      {p50DurationMs7d !== null && (
        <Typography variant="caption" color="text.secondary">
          p50 {formatDuration(p50DurationMs7d)}
        </Typography>
      )}
    </Stack>
  );
}

function NeedsLine({ workflow }: { workflow: WorkflowOverview }) {
  const count = workflow.requiredEnv.length;
  if (count === 0) return null;
  return (
    <Tooltip title={workflow.requiredEnv.join(', ')}>
      <Typography variant="caption" color="text.secondary">
        Needs {count} env variable{count === 1 ? '' : 's'}
      </Typography>
    </Tooltip>
  );
}

/** Every workflow with its schedule, last run, last week and health. */
export function WorkflowsTable({ items }: { items: WorkflowOverview[] }) {
  const workflowPath = useWorkflowPath();
  const entityPath = useWorkflowEntityPath();
  // One health call for the whole table; while it loads or fails the rows say so.
  const envHealth = useEnvHealth();
  const healthItems = envHealth.value?.items;
  const byWorkflow = useMemo(
    () => healthItems && new Map(healthItems.map(h => [h.workflowId, h])),
    [healthItems],
  );
  const health: TableHealth = {
    byWorkflow,
    loading: envHealth.loading,
    error: envHealth.error,
  };
  return (
    <TableContainer component={Paper}>
      <Table
        aria-label="Workflows"
        // The theme lets cells break words anywhere, which squeezes columns.
        sx={{ '& th, & td': { wordBreak: 'normal' } }}
      >
        <TableHead>
          <TableRow>
            <TableCell sx={{ minWidth: 220 }}>Workflow</TableCell>
            <TableCell sx={{ minWidth: 150 }}>Schedule</TableCell>
            <TableCell sx={nowrap}>Last run</TableCell>
            <TableCell sx={nowrap}>Last 7 days</TableCell>
            <TableCell sx={nowrap}>Health</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(workflow => (
            <TableRow key={workflow.id} data-testid={`workflow-${workflow.id}`}>
              <TableCell>
                <Stack spacing={0.5} alignItems="flex-start">
                  <Stack direction="row" spacing={1} alignItems="center">
                    <Link to={workflowPath(workflow.id)}>
                      <Typography variant="subtitle2" component="span">
                        {workflow.title}
                      </Typography>
                    </Link>
                    <Chip
                      size="small"
                      variant="outlined"
                      label={
                        workflow.source === 'runner' ? 'Hosted' : 'Tracked'
                      }
                      sx={{ m: 0 }}
                    />
                  </Stack>
                  <Typography variant="caption" color="text.secondary">
                    {workflow.description}
                  </Typography>
                  <Typography variant="caption">
                    Owner {workflow.owner}
                  </Typography>
                  <Typography
                    variant="caption"
                    fontFamily="monospace"
                    color="text.secondary"
                    // A URL may break anywhere; the column keeps room for words.
                    sx={{ overflowWrap: 'anywhere' }}
                  >
                    {workflow.endpoint}
                  </Typography>
                  <NeedsLine workflow={workflow} />
                  <Link
                    to={entityPath(workflow.id)}
                    aria-label={`${workflow.title} in the catalog`}
                  >
                    <Typography variant="caption">In the catalog</Typography>
                  </Link>
                </Stack>
              </TableCell>
              <TableCell>
                <ScheduleText
                  schedule={workflow.schedule}
                  nextRunAt={workflow.stats.nextRunAt}
                />
              </TableCell>
              <TableCell>
                <LastRunCell workflow={workflow} />
              </TableCell>
              <TableCell>
                <LastSevenDaysCell workflow={workflow} />
              </TableCell>
              <TableCell>
                <HealthBadgeCell workflow={workflow} health={health} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
