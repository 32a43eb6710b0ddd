import { Link } from '@backstage/core-components';
import type { WorkflowRun } from '@internal/plugin-workflows-common';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatDuration } from '../shared/formatDuration';
import { useRunPath } from '../shared/links';
import { RunStatusChip } from '../shared/RunStatusChip';
import { RelativeTime } from '../shared/time';

const nowrap = { whiteSpace: 'nowrap' } as const;

function FailureCell({ run }: { run: WorkflowRun }) {
  if (!run.error && !run.failedStep) return null;
  const text = [run.failedStep, run.error].filter(Boolean).join(': ');
  return (
    <Typography
      variant="body2"
      color="error"
      title={text}
      sx={{
        // Two lines at most; the run page has the whole error.
        display: '-webkit-box',
        WebkitLineClamp: 2,
        WebkitBoxOrient: 'vertical',
        overflow: 'hidden',
        overflowWrap: 'break-word',
      }}
    >
      {text}
    </Typography>
  );
}

export function RunsTable({ runs }: { runs: WorkflowRun[] }) {
  const runPath = useRunPath();
  return (
    <TableContainer component={Paper}>
      <Table
        aria-label="Runs"
        size="small"
        // The theme lets cells break words anywhere, which squeezes columns.
        sx={{ '& th, & td': { wordBreak: 'normal' } }}
      >
        <TableHead>
          <TableRow>
            <TableCell>Status</TableCell>
            <TableCell>Run</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Duration</TableCell>
            <TableCell sx={{ width: '40%', minWidth: 160 }}>Failure</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {runs.map(run => (
            <TableRow key={run.runId} data-testid={`run-${run.runId}`} hover>
              <TableCell>
                <RunStatusChip status={run.status} />
              </TableCell>
              <TableCell sx={nowrap}>
                <Link to={runPath(run.workflowId, run.runId)}>
                  <Typography
                    variant="body2"
                    component="span"
                    fontFamily="monospace"
                  >
                    {run.runId}
                  </Typography>
                </Link>
                {run.label && (
                  <Typography
                    variant="caption"
                    component="div"
                    color="text.secondary"
                  >
                    Label {run.label}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <RelativeTime iso={run.startedAt} />
              </TableCell>
              <TableCell sx={nowrap}>
                <Typography variant="body2" component="div">
                  {formatDuration(run.durationMs)}
                </Typography>
                <Typography
                  variant="caption"
                  component="div"
                  color="text.secondary"
                >
                  {run.stepCount} step{run.stepCount === 1 ? '' : 's'}
                </Typography>
              </TableCell>
              <TableCell>
                <FailureCell run={run} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
