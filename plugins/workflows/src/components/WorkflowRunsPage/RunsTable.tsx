import Collapse from '@mui/material/Collapse';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import KeyboardArrowDownIcon from '@mui/icons-material/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@mui/icons-material/KeyboardArrowRight';
import type { WorkflowRun } from '@internal/plugin-workflows-common';
import { useState } from 'react';
import { formatDuration, runDurationMs } from './formatDuration';
import { RunStatusChip } from './RunStatusChip';
import { RunSteps } from './RunSteps';

function RunRow({
  run,
  initiallyOpen,
}: {
  run: WorkflowRun;
  initiallyOpen: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <>
      <TableRow data-testid={`run-${run.runId}`} hover>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-label={
              open ? `Hide steps of ${run.runId}` : `Show steps of ${run.runId}`
            }
            onClick={() => setOpen(!open)}
          >
            {open ? <KeyboardArrowDownIcon /> : <KeyboardArrowRightIcon />}
          </IconButton>
        </TableCell>
        <TableCell>
          <RunStatusChip status={run.status} />
        </TableCell>
        <TableCell>
          <Typography variant="body2" fontFamily="monospace">
            {run.runId}
          </Typography>
        </TableCell>
        <TableCell sx={{ whiteSpace: 'nowrap' }}>
          {new Date(run.startedAt).toLocaleString()}
        </TableCell>
        <TableCell sx={{ whiteSpace: 'nowrap' }}>
          {formatDuration(runDurationMs(run.startedAt, run.finishedAt))}
        </TableCell>
        <TableCell>
          {run.status === 'failed' && (
            <Typography variant="body2" color="error">
              {run.failedStep ? `${run.failedStep}: ` : ''}
              {run.error}
            </Typography>
          )}
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell sx={{ py: 0 }} colSpan={6}>
          <Collapse in={open} unmountOnExit>
            <RunSteps workflowId={run.workflowId} runId={run.runId} />
          </Collapse>
        </TableCell>
      </TableRow>
    </>
  );
}

export function RunsTable({
  runs,
  openRunId,
}: {
  runs: WorkflowRun[];
  openRunId?: string;
}) {
  return (
    <TableContainer component={Paper}>
      <Table aria-label="Runs">
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" />
            <TableCell>Status</TableCell>
            <TableCell>Run</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Duration</TableCell>
            <TableCell>Failure</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {runs.map(run => (
            <RunRow
              key={run.runId}
              run={run}
              initiallyOpen={run.runId === openRunId}
            />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
