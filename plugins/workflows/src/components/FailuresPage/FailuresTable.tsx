import { Link } from '@backstage/core-components';
import type { TriageFailure } from '@internal/plugin-workflows-common';
import Checkbox from '@mui/material/Checkbox';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useRunPath } from '../shared/links';
import { RunStatusChip } from '../shared/RunStatusChip';
import { RelativeTime } from '../shared/time';
import { dlqSourceLabel, DlqStateText } from './DlqStateText';

const nowrap = { whiteSpace: 'nowrap' } as const;

/** Only entries still in a dead letter queue can be acted on. */
export const selectableDlqId = (failure: TriageFailure) =>
  failure.dlq?.state === 'in-dlq' ? failure.dlq.dlqId : undefined;

function ErrorText({ failure }: { failure: TriageFailure }) {
  return (
    <Stack spacing={0.25} sx={{ minWidth: 0 }}>
      {failure.step && (
        <Typography variant="caption" color="text.secondary">
          Step {failure.step}
        </Typography>
      )}
      <Tooltip
        title={
          <Typography
            variant="caption"
            component="pre"
            sx={{ m: 0, whiteSpace: 'pre-wrap', fontFamily: 'monospace' }}
          >
            {failure.error}
          </Typography>
        }
      >
        <Typography
          variant="body2"
          color="error"
          sx={{
            // Two lines at most; the tooltip and the run page have the whole error.
            display: '-webkit-box',
            WebkitLineClamp: 2,
            WebkitBoxOrient: 'vertical',
            overflow: 'hidden',
            overflowWrap: 'anywhere',
          }}
        >
          {failure.error}
        </Typography>
      </Tooltip>
    </Stack>
  );
}

function RunCell({
  failure,
  workflowId,
}: {
  failure: TriageFailure;
  workflowId: string;
}) {
  const runPath = useRunPath();
  if (!failure.runId) {
    return (
      <Typography variant="body2" color="text.secondary" sx={nowrap}>
        No run
      </Typography>
    );
  }
  return (
    <Stack spacing={0.5} alignItems="flex-start">
      {failure.runStatus && <RunStatusChip status={failure.runStatus} />}
      <Link to={runPath(workflowId, failure.runId)}>
        <Typography
          variant="caption"
          component="span"
          fontFamily="monospace"
          sx={{ overflowWrap: 'anywhere' }}
        >
          {failure.runId}
        </Typography>
      </Link>
    </Stack>
  );
}

/** The failures of a group; entries still in a DLQ can be ticked for an action. */
export function FailuresTable({
  items,
  workflowId,
  selected,
  onSelectedChange,
}: {
  items: TriageFailure[];
  workflowId: string;
  selected: ReadonlySet<string>;
  onSelectedChange: (next: Set<string>) => void;
}) {
  const selectable = items.flatMap(item => selectableDlqId(item) ?? []);
  const selectedCount = selectable.filter(id => selected.has(id)).length;
  const all = selectable.length > 0 && selectedCount === selectable.length;

  const toggle = (dlqId: string) => {
    const next = new Set(selected);
    if (next.has(dlqId)) next.delete(dlqId);
    else next.add(dlqId);
    onSelectedChange(next);
  };

  return (
    <TableContainer>
      <Table
        size="small"
        aria-label="Failures of this group"
        // The theme lets cells break words anywhere, which squeezes columns.
        sx={{ '& th, & td': { wordBreak: 'normal' } }}
      >
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox">
              <Checkbox
                size="small"
                checked={all}
                indeterminate={selectedCount > 0 && !all}
                disabled={selectable.length === 0}
                onChange={() =>
                  onSelectedChange(all ? new Set() : new Set(selectable))
                }
                inputProps={{ 'aria-label': 'Select all entries in the DLQ' }}
              />
            </TableCell>
            <TableCell sx={{ minWidth: 140 }}>Run</TableCell>
            <TableCell sx={nowrap}>When</TableCell>
            <TableCell sx={{ width: '45%', minWidth: 200 }}>
              Step and error
            </TableCell>
            <TableCell sx={{ minWidth: 120 }}>DLQ</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((failure, index) => {
            const dlqId = selectableDlqId(failure);
            const name = failure.runId ?? failure.dlq?.dlqId ?? `${index + 1}`;
            return (
              <TableRow
                key={failure.dlq?.dlqId ?? failure.runId ?? index}
                data-testid={`failure-${name}`}
                selected={dlqId !== undefined && selected.has(dlqId)}
                hover
              >
                <TableCell padding="checkbox">
                  {dlqId !== undefined && (
                    <Checkbox
                      size="small"
                      checked={selected.has(dlqId)}
                      onChange={() => toggle(dlqId)}
                      inputProps={{ 'aria-label': `Select ${name}` }}
                    />
                  )}
                </TableCell>
                <TableCell>
                  <RunCell failure={failure} workflowId={workflowId} />
                </TableCell>
                <TableCell sx={nowrap}>
                  <RelativeTime iso={failure.occurredAt} />
                </TableCell>
                <TableCell>
                  <ErrorText failure={failure} />
                </TableCell>
                <TableCell>
                  <Stack spacing={0.5} alignItems="flex-start">
                    <DlqStateText failure={failure} workflowId={workflowId} />
                    {failure.dlq && (
                      <Typography variant="caption" color="text.secondary">
                        {dlqSourceLabel(failure.dlq.source)}
                      </Typography>
                    )}
                  </Stack>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
