import { useApi } from '@backstage/core-plugin-api';
import { triggerRunRequestSchema } from '@internal/plugin-workflows-common';
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

type ParsedBody = { ok: true; value: unknown } | { ok: false; error: string };

/** Empty means "no body"; anything else must be JSON. */
function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      error: `Not valid JSON: ${(error as Error).message}`,
    };
  }
}

function labelProblem(label: string): string | undefined {
  if (label === '') return undefined;
  const result = triggerRunRequestSchema.shape.label.safeParse(label);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/**
 * Starts a run now with an optional JSON body and label. Client-side checks
 * catch typing mistakes; the server's answer (a 400 naming the field, a 403
 * naming the permission) is shown as it comes.
 */
export function TriggerRunDialog({
  workflowId,
  workflowTitle,
  open,
  onClose,
  onTriggered,
}: {
  workflowId: string;
  workflowTitle: string;
  open: boolean;
  onClose: () => void;
  onTriggered: (runId: string) => void;
}) {
  const api = useApi(workflowsApiRef);
  const [bodyText, setBodyText] = useState('');
  const [label, setLabel] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<string>();

  const body = parseBody(bodyText);
  const labelError = labelProblem(label.trim());
  const invalid = !body.ok || Boolean(labelError);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.ok || labelError) return;
    setSubmitting(true);
    setServerError(undefined);
    try {
      const result = await api.triggerRun(workflowId, {
        body: body.value,
        label: label.trim() || undefined,
      });
      onTriggered(result.runId);
    } catch (error) {
      setServerError(errorMessage(error as Error));
      setSubmitting(false);
    }
  };

  const close = () => {
    setServerError(undefined);
    onClose();
  };

  const format = () => {
    if (body.ok && body.value !== undefined) {
      setBodyText(JSON.stringify(body.value, null, 2));
    }
  };

  return (
    <Dialog
      open={open}
      onClose={submitting ? undefined : close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="trigger-run-title"
    >
      <form onSubmit={onSubmit} noValidate>
        <DialogTitle id="trigger-run-title">
          Trigger {workflowTitle}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2}>
            <DialogContentText>
              Starts a run now, outside the schedule. QStash calls the workflow
              with this body as its initial payload.
            </DialogContentText>
            {serverError && (
              <Alert severity="error" role="alert">
                {serverError}
              </Alert>
            )}
            <TextField
              label="Body (JSON)"
              value={bodyText}
              onChange={event => setBodyText(event.target.value)}
              multiline
              minRows={6}
              maxRows={16}
              fullWidth
              error={!body.ok}
              helperText={body.ok ? 'Leave empty to send no body.' : body.error}
              inputProps={{
                spellCheck: false,
                style: { fontFamily: 'monospace' },
              }}
            />
            <TextField
              label="Label"
              value={label}
              onChange={event => setLabel(event.target.value)}
              fullWidth
              error={Boolean(labelError)}
              helperText={
                labelError ??
                'Optional; find the run again by it (letters, digits, ".", "_", "-").'
              }
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button
            onClick={format}
            disabled={!body.ok || body.value === undefined}
          >
            Format JSON
          </Button>
          <Button onClick={close} disabled={submitting}>
            Close
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={invalid || submitting}
          >
            {submitting ? 'Triggering…' : 'Trigger run'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
