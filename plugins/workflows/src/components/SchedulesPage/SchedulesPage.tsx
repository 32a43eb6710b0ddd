import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
} from '@backstage/core-components';
import type {
  ScheduleSaveResponse,
  ScheduleView,
  WorkflowOverview,
} from '@internal/plugin-workflows-common';
import AddIcon from '@mui/icons-material/Add';
import RefreshIcon from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import {
  SCHEDULES_POLL_INTERVAL_MS,
  useSchedules,
} from '../../hooks/useSchedules';
import { useWorkflows } from '../../hooks/useWorkflow';
import { errorMessage, LoadError } from '../shared/errors';
import {
  ScheduleActionDialog,
  type ScheduleAction,
} from './ScheduleActionDialog';
import {
  ScheduleEditorDialog,
  type ScheduleEditorTarget,
} from './ScheduleEditorDialog';
import { fieldsText } from './scheduleFields';
import { SchedulesTable } from './SchedulesTable';
import { useSchedulesView, type SchedulesView } from './useSchedulesView';

type Notice = { severity: 'success' | 'warning'; text: string };

const DONE: Record<ScheduleAction, string> = {
  pause: 'Paused',
  resume: 'Resumed',
  delete: 'Deleted',
};

function savedNotice(response: ScheduleSaveResponse, created: boolean): Notice {
  const id = response.schedule.scheduleId;
  const text = `${created ? 'Created' : 'Saved'} schedule ${id}.`;
  if (response.unknownFields.length === 0) return { severity: 'success', text };
  return {
    severity: 'warning',
    text: `${text} QStash now uses its default for ${fieldsText(
      response.unknownFields,
    )}.`,
  };
}

/** The editor the URL asks for, once what it needs is loaded; or why it cannot open. */
function editorFor(
  view: SchedulesView,
  schedules: ScheduleView[] | undefined,
  workflows: WorkflowOverview[] | undefined,
): { target?: ScheduleEditorTarget; problem?: string } {
  if (view.edit) {
    if (!schedules) return {};
    const schedule = schedules.find(s => s.scheduleId === view.edit);
    return schedule
      ? { target: { kind: 'edit', schedule } }
      : { problem: `There is no schedule "${view.edit}" you may see.` };
  }
  if (!view.create) return {};
  const workflowId = view.create.workflow;
  if (!workflowId) return { target: { kind: 'create' } };
  if (!workflows) return {};
  const workflow = workflows.find(w => w.id === workflowId);
  if (!workflow) {
    return { problem: `There is no workflow "${workflowId}" to schedule.` };
  }
  return {
    target: {
      kind: 'create',
      // What the workflow declares is the natural start.
      prefill: {
        destination: workflow.endpoint,
        cron: workflow.schedule?.cron,
        timezone: workflow.schedule?.timezone,
      },
    },
  };
}

/**
 * Every QStash schedule the caller may see: when it fires (in words, its
 * zone, the next fire times), what it calls (a workflow, or a destination
 * the portal does not know) and how its last tick went; with an editor that
 * previews and diffs before saving, and confirmed pause, resume and delete.
 */
export function SchedulesPage() {
  const { view, setView, closeEditor } = useSchedulesView();
  const schedules = useSchedules();
  const workflowList = useWorkflows();
  const [action, setAction] = useState<{
    action: ScheduleAction;
    schedule: ScheduleView;
  }>();
  const [notice, setNotice] = useState<Notice>();

  const workflows = workflowList.workflows?.items;
  const items = schedules.value?.items;
  const shown = view.workflow
    ? items?.filter(s => s.workflowId === view.workflow)
    : items;
  const filterTitle =
    view.workflow &&
    (workflows?.find(w => w.id === view.workflow)?.title ?? view.workflow);
  const editor = editorFor(view, items, workflows);

  const openCreate = () =>
    setView({ edit: undefined, create: { workflow: view.workflow } });

  const onSaved = (response: ScheduleSaveResponse, created: boolean) => {
    closeEditor();
    setNotice(savedNotice(response, created));
    schedules.reload();
  };

  const onActed = (done: ScheduleAction, schedule: ScheduleView) => {
    setAction(undefined);
    setNotice({
      severity: 'success',
      text: `${DONE[done]} schedule ${schedule.scheduleId}.`,
    });
    schedules.reload();
  };

  let body;
  if (schedules.loading) {
    body = <Progress />;
  } else if (!shown) {
    body = schedules.error ? (
      <LoadError error={schedules.error} what="schedules" />
    ) : null;
  } else if (shown.length === 0) {
    body = view.workflow ? (
      <EmptyState
        missing="data"
        title={`No schedule calls ${filterTitle}`}
        description="QStash runs this workflow only when it is triggered."
        action={
          <Stack direction="row" spacing={1}>
            <Button variant="contained" onClick={openCreate}>
              Schedule it
            </Button>
            <Button onClick={() => setView({ workflow: undefined })}>
              Show all schedules
            </Button>
          </Stack>
        }
      />
    ) : (
      <EmptyState
        missing="data"
        title="No schedules yet"
        description="QStash holds no schedule you may see."
        action={
          <Button variant="contained" onClick={openCreate}>
            Create the first schedule
          </Button>
        }
      />
    );
  } else {
    body = (
      <Paper>
        <SchedulesTable
          schedules={shown}
          onEdit={schedule =>
            setView({ edit: schedule.scheduleId, create: undefined })
          }
          onAction={(next, schedule) => setAction({ action: next, schedule })}
        />
      </Paper>
    );
  }

  const count = shown?.length;
  return (
    <Page themeId="tool">
      <Header
        title="Schedules"
        subtitle="When QStash calls each workflow, and what it sends"
      />
      <Content>
        <ContentHeader
          title={
            count === undefined
              ? 'Schedules'
              : `${count} schedule${count === 1 ? '' : 's'}`
          }
          description={`Fire times in each schedule's zone; refreshed every ${
            SCHEDULES_POLL_INTERVAL_MS / 1000
          } s`}
        >
          <Stack direction="row" spacing={1}>
            <Button
              startIcon={<RefreshIcon />}
              onClick={schedules.reload}
              disabled={schedules.loading || schedules.reloading}
              sx={{ whiteSpace: 'nowrap' }}
            >
              Refresh
            </Button>
            <Button
              variant="contained"
              startIcon={<AddIcon />}
              onClick={openCreate}
              sx={{ whiteSpace: 'nowrap' }}
            >
              New schedule
            </Button>
          </Stack>
        </ContentHeader>
        <Stack spacing={2}>
          {view.workflow && (
            <Stack direction="row">
              <Chip
                label={`Workflow: ${filterTitle}`}
                onDelete={() => setView({ workflow: undefined })}
              />
            </Stack>
          )}
          {notice && (
            <Alert
              severity={notice.severity}
              onClose={() => setNotice(undefined)}
            >
              {notice.text}
            </Alert>
          )}
          {schedules.refreshError && (
            <Alert severity="warning">
              Could not refresh the schedules, trying again:{' '}
              {errorMessage(schedules.refreshError)}
            </Alert>
          )}
          {workflowList.error && (
            <Alert severity="warning">
              Could not load the workflows, so destinations cannot be matched to
              them in the editor: {errorMessage(workflowList.error)}
            </Alert>
          )}
          {editor.problem && (
            <Alert severity="warning" onClose={closeEditor}>
              {editor.problem}
            </Alert>
          )}
          {body}
        </Stack>
      </Content>
      {editor.target && (
        <ScheduleEditorDialog
          key={view.edit ?? `new:${view.create?.workflow ?? ''}`}
          target={editor.target}
          workflows={workflows ?? (workflowList.error ? [] : undefined)}
          onClose={closeEditor}
          onSaved={onSaved}
          onConflict={schedules.reload}
        />
      )}
      <ScheduleActionDialog
        request={action}
        onClose={() => setAction(undefined)}
        onDone={onActed}
      />
    </Page>
  );
}
