import { useApi } from '@backstage/core-plugin-api';
import type { WorkflowRun } from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useState } from 'react';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { errorMessage } from '../shared/errors';

/** Asks before cancelling, and says what cancelling does and does not do. */
export function CancelRunDialog({
  runId,
  open,
  onClose,
  onCancelled,
}: {
  runId: string;
  open: boolean;
  onClose: () => void;
  onCancelled: (run: WorkflowRun) => void;
}) {
  const api = useApi(workflowsApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const close = () => {
    setError(undefined);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { run } = await api.cancelRun(runId);
      onCancelled(run);
    } catch (e) {
      setError(errorMessage(e as Error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : close}
      aria-labelledby="cancel-run-title"
      aria-describedby="cancel-run-description"
      maxWidth="sm"
    >
      <DialogTitle id="cancel-run-title">Cancel this run?</DialogTitle>
      <DialogContent>
        <DialogContentText id="cancel-run-description" component="div">
          Cancelling run <code>{runId}</code>:
          <ul>
            <li>
              QStash stops calling the workflow: no further step runs and a
              failing step is not retried.
            </li>
            <li>
              Steps already done are not undone: what they wrote or posted
              stays.
            </li>
            <li>The run is marked cancelled.</li>
          </ul>
        </DialogContentText>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Keep running
        </Button>
        <Button
          onClick={confirm}
          disabled={busy}
          color="error"
          variant="contained"
        >
          {busy ? 'Cancelling…' : 'Yes, cancel run'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
