import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  HeaderLabel,
  Page,
  Progress,
} from '@backstage/core-components';
import { InputError } from '@backstage/errors';
import type { TriageResponse } from '@internal/plugin-workflows-common';
import RefreshIcon from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import { useEffect } from 'react';
import { TRIAGE_WINDOW_PRESETS } from '../../hooks/triageWindow';
import { TRIAGE_POLL_INTERVAL_MS, useTriage } from '../../hooks/useTriage';
import { useWorkflows } from '../../hooks/useWorkflow';
import { errorMessage, LoadError } from '../shared/errors';
import { formatRelativeTime, RelativeTime } from '../shared/time';
import { describeWindow } from './describeWindow';
import { FailuresToolbar } from './FailuresToolbar';
import { sortGroups } from './sortGroups';
import { TriageGroupCard } from './TriageGroupCard';
import { useFailuresView } from './useFailuresView';

function LastSync({ triage }: { triage: TriageResponse }) {
  return triage.lastSyncedAt ? (
    <>
      Last sync: <RelativeTime iso={triage.lastSyncedAt} />
    </>
  ) : (
    <>Not synced yet</>
  );
}

/**
 * Failures grouped by workflow, step and error signature, with their causes,
 * trends and fixes, and actions on their dead letter entries. Every choice
 * is in the URL; alerts link to `?group=<groupId>`.
 */
export function FailuresPage() {
  const { view, problem, setView, widenForGroup, widenedFrom } =
    useFailuresView();
  const triage = useTriage(
    problem ? undefined : { timeWindow: view.window, workflow: view.workflow },
  );
  const { workflows } = useWorkflows();

  const groups = triage.value?.groups;
  const linkedGroupMissing = Boolean(
    view.group && groups && !groups.some(g => g.groupId === view.group),
  );
  // A group linked from an alert may be older than the default window.
  const mayWiden = linkedGroupMissing && view.windowIsDefault;
  useEffect(() => {
    if (mayWiden && view.group) widenForGroup(view.group);
  }, [mayWiden, view.group, widenForGroup]);

  const windowWords = describeWindow(view.window);
  let body;
  if (problem) {
    body = (
      <LoadError
        error={
          new InputError(`The address holds an invalid time window: ${problem}`)
        }
        what="failures"
      />
    );
  } else if (triage.loading || mayWiden) {
    body = <Progress />;
  } else if (!triage.value) {
    body = triage.error ? (
      <LoadError error={triage.error} what="failures" />
    ) : null;
  } else if (triage.value.groups.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No failures in this window"
        description={
          <span>
            Nothing failed in {windowWords}. <LastSync triage={triage.value} />
          </span>
        }
      />
    );
  } else {
    body = (
      <Stack spacing={2} component="section" aria-label="Failure groups">
        {sortGroups(triage.value.groups, view.sort).map(group => (
          <TriageGroupCard
            key={group.groupId}
            group={group}
            timeWindow={view.window}
            expanded={group.groupId === view.group}
            onToggle={() =>
              setView({
                group: group.groupId === view.group ? undefined : group.groupId,
              })
            }
            onActed={triage.reload}
          />
        ))}
      </Stack>
    );
  }

  const count = groups?.length;
  return (
    <Page themeId="tool">
      <Header
        title="Failures"
        subtitle="Failed runs and dead letter entries, grouped by cause"
      >
        {triage.value && (
          <HeaderLabel
            label="Last sync"
            value={
              triage.value.lastSyncedAt
                ? formatRelativeTime(triage.value.lastSyncedAt)
                : 'Not synced yet'
            }
          />
        )}
      </Header>
      <Content>
        <ContentHeader
          title={
            count === undefined
              ? 'Failure groups'
              : `${count} failure group${count === 1 ? '' : 's'}`
          }
          description={`In ${windowWords}; refreshed every ${
            TRIAGE_POLL_INTERVAL_MS / 1000
          } s`}
        >
          <Button
            startIcon={<RefreshIcon />}
            onClick={triage.reload}
            disabled={triage.loading || triage.reloading || Boolean(problem)}
            sx={{ whiteSpace: 'nowrap' }}
          >
            Refresh
          </Button>
        </ContentHeader>
        <Stack spacing={2}>
          <Paper sx={{ p: 2 }}>
            <FailuresToolbar
              view={view}
              workflows={workflows?.items}
              onChange={setView}
            />
          </Paper>
          {triage.refreshError && (
            <Alert severity="warning">
              Could not refresh the failures, trying again:{' '}
              {errorMessage(triage.refreshError)}
            </Alert>
          )}
          {widenedFrom && !linkedGroupMissing && (
            <Alert severity="info">
              The linked failure group had no failures in{' '}
              {TRIAGE_WINDOW_PRESETS[widenedFrom].words}, so the window is
              widened to {windowWords}.
            </Alert>
          )}
          {linkedGroupMissing && !mayWiden && (
            <Alert severity="warning">
              The linked failure group has no failures in {windowWords}
              {view.workflow ? ' for this workflow' : ''}.
            </Alert>
          )}
          {body}
        </Stack>
      </Content>
    </Page>
  );
}
