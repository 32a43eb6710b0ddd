import { Link } from '@backstage/core-components';
import type { TriageFailure } from '@internal/plugin-workflows-common';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useRunPath } from '../shared/links';
import { RunStatusChip } from '../shared/RunStatusChip';

type Dlq = NonNullable<TriageFailure['dlq']>;

/** The run a resume or restart started, with its status. */
function ResolvedRun({ dlq, workflowId }: { dlq: Dlq; workflowId: string }) {
  const runPath = useRunPath();
  const verb = dlq.state === 'resumed' ? 'Resumed' : 'Restarted';
  if (!dlq.resolvedRunId) {
    return <Typography variant="body2">{verb}</Typography>;
  }
  return (
    <Stack spacing={0.5} alignItems="flex-start">
      <Typography variant="body2">
        {verb} as run{' '}
        <Link to={runPath(workflowId, dlq.resolvedRunId)}>
          <Typography variant="body2" component="span" fontFamily="monospace">
            {dlq.resolvedRunId}
          </Typography>
        </Link>
      </Typography>
      {dlq.resolvedRunStatus && (
        <RunStatusChip status={dlq.resolvedRunStatus} />
      )}
    </Stack>
  );
}

/** Where a failure stands in its dead letter queue, or that it is in none. */
export function DlqStateText({
  failure,
  workflowId,
}: {
  failure: TriageFailure;
  workflowId: string;
}) {
  const { dlq } = failure;
  if (!dlq) {
    return (
      <Typography variant="body2" color="text.secondary">
        Not in a DLQ
      </Typography>
    );
  }
  switch (dlq.state) {
    case 'in-dlq':
      return (
        <Chip size="small" color="warning" variant="outlined" label="In DLQ" />
      );
    case 'resumed':
    case 'restarted':
      return <ResolvedRun dlq={dlq} workflowId={workflowId} />;
    case 'retried':
      return <Typography variant="body2">Failure function retried</Typography>;
    case 'deleted':
      return (
        <Typography variant="body2" color="text.secondary">
          Deleted
        </Typography>
      );
    default:
      return (
        <Tooltip title="QStash no longer lists it: expired, or handled outside the portal">
          <Typography variant="body2" color="text.secondary">
            Gone
          </Typography>
        </Tooltip>
      );
  }
}

export const dlqSourceLabel = (source: Dlq['source']) =>
  source === 'workflow' ? 'Workflow DLQ' : 'Message DLQ';
