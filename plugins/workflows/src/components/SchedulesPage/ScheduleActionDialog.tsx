import { useApi } from '@backstage/core-plugin-api';
import type { ScheduleView } from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import { workflowsApiRef, type WorkflowsApi } from '../../api/WorkflowsApi';
import { errorMessage } from '../shared/errors';

export type ScheduleAction = 'pause' | 'resume' | 'delete';

/** What the dialog says and does for each action. */
const ACTIONS: Record<
  ScheduleAction,
  {
    label: string;
    working: string;
    keep: string;
    destructive: boolean;
    consequence: (schedule: ScheduleView, target: string) => string;
    run: (api: WorkflowsApi, scheduleId: string) => Promise<unknown>;
  }
> = {
  pause: {
    label: 'Pause schedule',
    working: 'Pausing…',
    keep: 'Keep it running',
    destructive: false,
    consequence: (_, target) =>
      `QStash stops calling ${target} until the schedule is resumed. Ticks that fall while it is paused are skipped, not made up later.`,
    run: (api, id) => api.pauseSchedule(id),
  },
  resume: {
    label: 'Resume schedule',
    working: 'Resuming…',
    keep: 'Keep it paused',
    destructive: false,
    consequence: (schedule, target) =>
      `QStash calls ${target} again ${
        schedule.description
          ? schedule.description.replace(/^\w/, c => c.toLowerCase())
          : `on "${schedule.cron}"`
      } (${schedule.timezone}), from the next tick on.`,
    run: (api, id) => api.resumeSchedule(id),
  },
  delete: {
    label: 'Delete schedule',
    working: 'Deleting…',
    keep: 'Keep it',
    destructive: true,
    consequence: (schedule, target) =>
      `QStash stops calling ${target} and forgets the schedule; this cannot be undone.${
        schedule.workflowId ? ' The workflow and its runs stay.' : ''
      }`,
    run: (api, id) => api.deleteSchedule(id),
  },
};

/**
 * Asks before pausing, resuming or deleting a schedule, saying what it does
 * to the workflow; then does it. A refusal (403, 404) stays in the dialog.
 */
export function ScheduleActionDialog({
  request,
  onClose,
  onDone,
}: {
  /** The action to confirm; the dialog is open while it is set. */
  request: { action: ScheduleAction; schedule: ScheduleView } | undefined;
  onClose: () => void;
  onDone: (action: ScheduleAction, schedule: ScheduleView) => void;
}) {
  const api = useApi(workflowsApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const info = request && ACTIONS[request.action];

  const close = () => {
    setError(undefined);
    onClose();
  };

  const confirm = async () => {
    if (!request || !info) return;
    setBusy(true);
    setError(undefined);
    try {
      await info.run(api, request.schedule.scheduleId);
      onDone(request.action, request.schedule);
    } catch (e) {
      setError(errorMessage(e as Error));
    } finally {
      setBusy(false);
    }
  };

  const schedule = request?.schedule;
  const target = schedule?.workflowTitle
    ? `the workflow ${schedule.workflowTitle}`
    : schedule?.destination;
  return (
    <Dialog
      open={Boolean(info)}
      onClose={busy ? undefined : close}
      aria-labelledby="schedule-action-title"
      aria-describedby="schedule-action-description"
      maxWidth="sm"
      fullWidth
    >
      {info && schedule && target && (
        <>
          <DialogTitle id="schedule-action-title">
            {info.label} {schedule.scheduleId}?
          </DialogTitle>
          <DialogContent>
            <Stack spacing={2}>
              <DialogContentText id="schedule-action-description">
                {info.consequence(schedule, target)}
              </DialogContentText>
              {error && (
                <Alert severity="error" role="alert">
                  {error}
                </Alert>
              )}
            </Stack>
          </DialogContent>
          <DialogActions>
            <Button onClick={close} disabled={busy}>
              {info.keep}
            </Button>
            <Button
              variant="contained"
              color={info.destructive ? 'error' : 'primary'}
              onClick={confirm}
              disabled={busy}
            >
              {busy ? info.working : info.label}
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}
