import { useApi } from '@backstage/core-plugin-api';
import {
  dlqRetriesSchema,
  type DlqAction,
  type DlqActionRequest,
  type DlqActionResponse,
  type DlqGroupSelection,
} from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { FormEvent, useState } from 'react';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { errorMessage } from '../shared/errors';
import { DLQ_ACTIONS, entriesText } from './dlqActions';

function retriesProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const result = dlqRetriesSchema.safeParse(
    /^\d+$/.test(trimmed) ? Number(trimmed) : NaN,
  );
  return result.success ? undefined : 'A whole number from 0 to 10';
}

/** What the dialog acts on: ticked entries, or every entry of a group in the DLQ. */
export type DlqActionTarget =
  | { dlqIds: string[] }
  | {
      group: Omit<DlqGroupSelection, 'after'>;
      /** The group's entries in the DLQ when the operator chose them. */
      count: number;
    };

/** Several pages' answers as one, outcomes in the order they came. */
function merge(
  action: DlqAction,
  pages: DlqActionResponse[],
): DlqActionResponse {
  const outcomes = pages.flatMap(page => page.outcomes);
  const succeeded = outcomes.filter(o => o.ok).length;
  return { action, outcomes, succeeded, failed: outcomes.length - succeeded };
}

/**
 * Asks before acting on dead letter entries, naming how many and what the
 * action does that cannot be taken back; then sends it. A whole group goes a
 * page at a time, with the progress shown. A refused request (400, 403)
 * stays in the dialog; per-entry failures come back as outcomes.
 */
export function DlqActionDialog({
  action,
  target,
  onClose,
  onDone,
}: {
  /** The action to confirm; the dialog is open while it is set. */
  action: DlqAction | undefined;
  target: DlqActionTarget;
  onClose: () => void;
  /** `stopped`: why a whole-group action ended before its last page. */
  onDone: (response: DlqActionResponse, stopped?: string) => void;
}) {
  const api = useApi(workflowsApiRef);
  const [retries, setRetries] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [error, setError] = useState<string>();
  const info = action && DLQ_ACTIONS[action];
  const retriesError = info?.takesRetries ? retriesProblem(retries) : undefined;

  const close = () => {
    setError(undefined);
    setRetries('');
    onClose();
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!action || !info || retriesError) return;
    setBusy(true);
    setError(undefined);
    const request: Omit<DlqActionRequest, 'dlqIds' | 'group'> = {
      action,
      retries:
        info.takesRetries && retries.trim() !== ''
          ? Number(retries)
          : undefined,
    };
    const pages: DlqActionResponse[] = [];
    try {
      if ('dlqIds' in target) {
        pages.push(await api.actOnDlq({ ...request, dlqIds: target.dlqIds }));
      } else {
        let after: string | undefined;
        do {
          const page = await api.actOnDlq({
            ...request,
            group: { ...target.group, after },
          });
          pages.push(page);
          const done = pages.reduce((n, p) => n + p.outcomes.length, 0);
          setProgress({
            done,
            total: done - page.outcomes.length + (page.groupPending ?? 0),
          });
          after = page.nextCursor ?? undefined;
        } while (after);
      }
      setRetries('');
      onDone(merge(action, pages));
    } catch (e) {
      if (pages.length > 0) {
        // Earlier pages were acted on: show what they did, and why it stopped.
        setRetries('');
        onDone(merge(action, pages), errorMessage(e as Error));
      } else {
        setError(errorMessage(e as Error));
      }
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  };

  const workingText = progress
    ? `Working… ${progress.done} of ${progress.total}`
    : 'Working…';
  const count =
    'dlqIds' in target
      ? entriesText(target.dlqIds.length)
      : `all ${entriesText(target.count)} of this group in the DLQ`;
  const submitText = busy
    ? workingText
    : `${info?.label} ${'dlqIds' in target ? count : `all ${target.count}`}`;
  return (
    <Dialog
      open={Boolean(info)}
      onClose={busy ? undefined : close}
      aria-labelledby="dlq-action-title"
      aria-describedby="dlq-action-description"
      maxWidth="sm"
      fullWidth
    >
      {info && (
        <form onSubmit={confirm} noValidate>
          <DialogTitle id="dlq-action-title">
            {info.label} {count}?
          </DialogTitle>
          <DialogContent>
            <Stack spacing={2}>
              <DialogContentText id="dlq-action-description">
                {info.doing} {count} {info.consequence}
              </DialogContentText>
              {'group' in target && (
                <DialogContentText variant="body2">
                  They go to QStash 100 at a time, oldest first; entries that
                  reach the DLQ after this window are left alone.
                </DialogContentText>
              )}
              {info.takesRetries && (
                <TextField
                  label="Retries per step (optional)"
                  value={retries}
                  onChange={event => setRetries(event.target.value)}
                  inputProps={{ inputMode: 'numeric' }}
                  error={Boolean(retriesError)}
                  helperText={
                    retriesError ??
                    "Leave empty to keep the workflow's own retries."
                  }
                  size="small"
                />
              )}
              {error && (
                <Alert severity="error" role="alert">
                  {error}
                </Alert>
              )}
            </Stack>
          </DialogContent>
          <DialogActions>
            <Button onClick={close} disabled={busy}>
              Keep them
            </Button>
            <Button
              type="submit"
              variant="contained"
              color={info.destructive ? 'error' : 'primary'}
              disabled={busy || Boolean(retriesError)}
            >
              {submitText}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
