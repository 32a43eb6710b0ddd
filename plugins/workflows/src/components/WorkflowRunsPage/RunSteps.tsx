import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { formatDuration } from './formatDuration';
import { RunStatusChip } from './RunStatusChip';

/** The journal of one run: every execution attempt of every step. */
export function RunSteps({
  workflowId,
  runId,
}: {
  workflowId: string;
  runId: string;
}) {
  const api = useApi(workflowsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getRun(workflowId, runId),
    [api, workflowId, runId],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.steps.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No step has executed in this run.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={`Steps of run ${runId}`}>
      <TableHead>
        <TableRow>
          <TableCell>Step</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Attempt</TableCell>
          <TableCell>Duration</TableCell>
          <TableCell>Output or error</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {value.steps.map(step => (
          <TableRow key={step.id}>
            <TableCell>{step.stepName}</TableCell>
            <TableCell>
              <RunStatusChip status={step.status} />
            </TableCell>
            <TableCell>{step.attempt + 1}</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              {formatDuration(step.durationMs)}
            </TableCell>
            <TableCell>
              <Typography
                variant="body2"
                fontFamily="monospace"
                color={step.errorMessage ? 'error' : 'text.primary'}
                sx={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
              >
                {step.errorMessage ?? step.outputSummary ?? ''}
              </Typography>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
