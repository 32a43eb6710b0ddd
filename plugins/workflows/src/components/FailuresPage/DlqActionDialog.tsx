import { useApi } from '@backstage/core-plugin-api';
import {
  dlqRetriesSchema,
  type DlqAction,
  type DlqActionResponse,
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

/**
 * Asks before acting on dead letter entries, naming how many and what the
 * action does that cannot be taken back; then sends it. A refused request
 * (400, 403) stays in the dialog; per-entry failures come back as outcomes.
 */
export function DlqActionDialog({
  action,
  dlqIds,
  onClose,
  onDone,
}: {
  /** The action to confirm; the dialog is open while it is set. */
  action: DlqAction | undefined;
  dlqIds: string[];
  onClose: () => void;
  onDone: (response: DlqActionResponse) => void;
}) {
  const api = useApi(workflowsApiRef);
  const [retries, setRetries] = useState('');
  const [busy, setBusy] = useState(false);
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
    try {
      const response = await api.actOnDlq({
        action,
        dlqIds,
        retries:
          info.takesRetries && retries.trim() !== ''
            ? Number(retries)
            : undefined,
      });
      setRetries('');
      onDone(response);
    } catch (e) {
      setError(errorMessage(e as Error));
    } finally {
      setBusy(false);
    }
  };

  const count = entriesText(dlqIds.length);
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
              {busy ? 'Working…' : `${info.label} ${count}`}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
