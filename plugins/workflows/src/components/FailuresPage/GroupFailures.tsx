import { Progress } from '@backstage/core-components';
import type {
  DlqAction,
  DlqActionResponse,
  DlqSource,
  TriageGroup,
} from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { TriageWindow } from '../../hooks/triageWindow';
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
  const [results, setResults] = useState<DlqActionResponse>();

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

  const done = (response: DlqActionResponse) => {
    setPending(undefined);
    setResults(response);
    setSelected(new Set());
    failures.reload();
    onActed();
  };

  return (
    <Stack spacing={2}>
      {results && (
        <DlqActionResults
          response={results}
          workflowId={group.workflowId}
          onDismiss={() => setResults(undefined)}
        />
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
          onAction={setPending}
        />
      ) : (
        <Typography variant="body2" color="text.secondary">
          No entry of this group is in a dead letter queue, so there is nothing
          to resume, restart or delete.
        </Typography>
      )}
      <FailuresTable
        items={items}
        workflowId={group.workflowId}
        selected={new Set(selectedIds)}
        onSelectedChange={setSelected}
      />
      {totalCount > items.length && (
        <Typography variant="caption" color="text.secondary">
          Showing the newest {items.length} of {totalCount} failures in this
          window.
        </Typography>
      )}
      <DlqActionDialog
        action={pending}
        dlqIds={selectedIds}
        onClose={() => setPending(undefined)}
        onDone={done}
      />
    </Stack>
  );
}
