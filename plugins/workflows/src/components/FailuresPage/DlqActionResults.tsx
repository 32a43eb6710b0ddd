import { Link } from '@backstage/core-components';
import type { DlqActionResponse } from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useRunPath } from '../shared/links';
import { DLQ_ACTIONS } from './dlqActions';

/** Rows of outcomes listed; every failure is listed whatever their number. */
const SHOWN_OUTCOMES = 50;

/** What an action did to each entry: the successes and the failures side by side. */
export function DlqActionResults({
  response,
  workflowId,
  onDismiss,
}: {
  response: DlqActionResponse;
  workflowId: string;
  onDismiss: () => void;
}) {
  const runPath = useRunPath();
  const { label } = DLQ_ACTIONS[response.action];
  // Failures first; a whole group's hundreds of successes are counted, not all listed.
  const ordered = [
    ...response.outcomes.filter(o => !o.ok),
    ...response.outcomes.filter(o => o.ok),
  ];
  const shown = ordered.slice(0, Math.max(SHOWN_OUTCOMES, response.failed));
  const hidden = ordered.length - shown.length;
  return (
    <Alert
      severity={response.failed > 0 ? 'warning' : 'success'}
      onClose={onDismiss}
      role="status"
      aria-label={`Results of ${label}`}
      sx={{ '& .MuiAlert-message': { width: '100%', minWidth: 0 } }}
    >
      <Typography variant="subtitle2" component="p">
        {label}: {response.succeeded} succeeded, {response.failed} failed
      </Typography>
      <Table
        size="small"
        aria-label={`Outcome per entry of ${label}`}
        sx={{ '& th, & td': { wordBreak: 'normal' } }}
      >
        <TableHead>
          <TableRow>
            <TableCell>Entry</TableCell>
            <TableCell>Outcome</TableCell>
            <TableCell sx={{ width: '50%' }}>Run or error</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(outcome => (
            <TableRow
              key={outcome.dlqId}
              data-testid={`outcome-${outcome.dlqId}`}
            >
              <TableCell>
                <Typography
                  variant="caption"
                  fontFamily="monospace"
                  sx={{ overflowWrap: 'anywhere' }}
                >
                  {outcome.dlqId}
                </Typography>
              </TableCell>
              <TableCell>
                <Chip
                  size="small"
                  variant="outlined"
                  color={outcome.ok ? 'success' : 'error'}
                  label={outcome.ok ? 'Done' : 'Failed'}
                />
              </TableCell>
              <TableCell>
                {outcome.ok && outcome.workflowRunId && (
                  <Link to={runPath(workflowId, outcome.workflowRunId)}>
                    New run{' '}
                    <Typography
                      variant="body2"
                      component="span"
                      fontFamily="monospace"
                    >
                      {outcome.workflowRunId}
                    </Typography>
                  </Link>
                )}
                {outcome.error && (
                  <Typography
                    variant="body2"
                    color="error"
                    sx={{ overflowWrap: 'anywhere' }}
                  >
                    {outcome.error}
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {hidden > 0 && (
        <Typography variant="caption" color="text.secondary" component="p">
          And {hidden} more {hidden === 1 ? 'entry' : 'entries'} done.
        </Typography>
      )}
    </Alert>
  );
}
