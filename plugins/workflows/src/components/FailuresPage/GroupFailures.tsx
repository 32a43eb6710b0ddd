import { Progress } from '@backstage/core-components';
import type {
  DlqAction,
  DlqActionResponse,
  DlqSource,
  TriageGroup,
} from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { triageRange, type TriageWindow } from '../../hooks/triageWindow';
import { useTriageGroupFailures } from '../../hooks/useTriage';
import { errorMessage, LoadError } from '../shared/errors';
import { DlqActionBar } from './DlqActionBar';
import { DlqActionDialog } from './DlqActionDialog';
import { DlqActionResults } from './DlqActionResults';
import { FailuresTable, selectableDlqId } from './FailuresTable';

/**
 * The runs and dead letter entries of an expanded group, with the actions
 * for the selected entries and what the last action did to each of them.
 */
export function GroupFailures({
  group,
  timeWindow,
  onActed,
}: {
  group: TriageGroup;
  timeWindow: TriageWindow;
  /** An action changed entries: the group counts are stale. */
  onActed: () => void;
}) {
  const failures = useTriageGroupFailures(group.groupId, timeWindow);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<DlqAction>();
  const [wholeGroup, setWholeGroup] = useState(false);
  const [results, setResults] = useState<{
    response: DlqActionResponse;
    stopped?: string;
  }>();

  if (failures.loading) return <Progress />;
  if (!failures.value) {
    return failures.error ? (
      <LoadError error={failures.error} what="failures of this group" />
    ) : null;
  }

  const { items, totalCount } = failures.value;
  const sourceOf = new Map<string, DlqSource>();
  for (const item of items) {
    const dlqId = selectableDlqId(item);
    if (dlqId && item.dlq) sourceOf.set(dlqId, item.dlq.source);
  }
  // Entries that left the DLQ since they were ticked drop out of the selection.
  const selectedIds = [...selected].filter(id => sourceOf.has(id));

  const listedAll = sourceOf.size > 0 && selectedIds.length === sourceOf.size;
  // The list holds the newest failures only; the DLQ may hold more of them.
  const moreInDlq = group.inDlqCount > sourceOf.size;
  const chooseSelected = (next: Set<string>) => {
    setWholeGroup(false);
    setSelected(next);
  };

  const done = (response: DlqActionResponse, stopped?: string) => {
    setPending(undefined);
    setResults({ response, stopped });
    setSelected(new Set());
    setWholeGroup(false);
    failures.reload();
    onActed();
  };

  return (
    <Stack spacing={2}>
      {results && (
        <DlqActionResults
          response={results.response}
          workflowId={group.workflowId}
          onDismiss={() => setResults(undefined)}
        />
      )}
      {results?.stopped && (
        <Alert severity="error" role="alert">
          Stopped after {results.response.outcomes.length} entries:{' '}
          {results.stopped}. The rest of the group is still in the DLQ.
        </Alert>
      )}
      {failures.refreshError && (
        <Alert severity="warning">
          Could not reload the failures of this group:{' '}
          {errorMessage(failures.refreshError)}
        </Alert>
      )}
      {sourceOf.size > 0 ? (
        <DlqActionBar
          workflowId={group.workflowId}
          selectedSources={selectedIds.map(id => sourceOf.get(id)!)}
          availableSources={[...sourceOf.values()]}
          wholeGroupCount={wholeGroup ? group.inDlqCount : undefined}
          onAction={setPending}
        />
      ) : (
        <Typography variant="body2" color="text.secondary">
          No entry of this group is in a dead letter queue, so there is nothing
          to resume, restart or delete.
        </Typography>
      )}
      {listedAll && moreInDlq && (
        <Alert severity="info" sx={{ alignItems: 'center' }}>
          {wholeGroup ? (
            <>
              All {group.inDlqCount} entries of this group in the DLQ are
              selected, also those not listed below.{' '}
              <Button size="small" onClick={() => chooseSelected(new Set())}>
                Clear selection
              </Button>
            </>
          ) : (
            <>
              The {sourceOf.size} entries listed below are selected; this group
              has {group.inDlqCount} in the DLQ in this window.{' '}
              <Button size="small" onClick={() => setWholeGroup(true)}>
                Select all {group.inDlqCount}
              </Button>
            </>
          )}
        </Alert>
      )}
      <FailuresTable
        items={items}
        workflowId={group.workflowId}
        selected={new Set(selectedIds)}
        onSelectedChange={chooseSelected}
      />
      {totalCount > items.length && (
        <Typography variant="caption" color="text.secondary">
          Showing the newest {items.length} of {totalCount} failures in this
          window.
        </Typography>
      )}
      <DlqActionDialog
        action={pending}
        target={
          wholeGroup
            ? {
                group: { groupId: group.groupId, ...triageRange(timeWindow) },
                count: group.inDlqCount,
              }
            : { dlqIds: selectedIds }
        }
        onClose={() => setPending(undefined)}
        onDone={done}
      />
    </Stack>
  );
}
