import { useApi } from '@backstage/core-plugin-api';
import type {
  ScheduleSaveResponse,
  ScheduleView,
  WorkflowSummary,
} from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { ScheduleConflictError } from '../../api/ScheduleConflictError';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { ScheduleChanges } from './ScheduleChanges';
import { ScheduleConflictPanel } from './ScheduleConflictPanel';
import {
  createRequestOf,
  formValuesOf,
  newFormValues,
  patchOf,
  rebaseFormValues,
  type FieldProblems,
  type ScheduleFormValues,
} from './scheduleForm';
import { ScheduleForm } from './ScheduleForm';
import {
  SchedulePreviewPanel,
  UnknownFieldsWarning,
} from './SchedulePreviewPanel';
import { destinationResourceRef, scheduleResourceRef } from './scheduleTarget';
import { serverProblemsOf } from './serverFieldErrors';
import { useSchedulePreview } from './useSchedulePreview';
import { useScheduleUpdateGate } from './useScheduleUpdateGate';

/** What the editor opens on: a new schedule (maybe for a workflow) or one to change. */
export type ScheduleEditorTarget =
  | {
      kind: 'create';
      prefill?: { destination?: string; cron?: string; timezone?: string };
    }
  | { kind: 'edit'; schedule: ScheduleView };

type Step = 'edit' | 'review' | 'conflict';

type Problems = { fields: FieldProblems; other?: string };

/**
 * Creates or changes a schedule. Every change is checked as it is typed (the
 * form's own checks, then the server's preview, which names the field at
 * fault) and previewed: the cron in words, the next five fire times in the
 * chosen zone, what saving changes. Saving goes through a review of that
 * diff; an edit sends the version it loaded, and a schedule changed
 * meanwhile shows both versions to choose from.
 */
export function ScheduleEditorDialog({
  target,
  workflows,
  onClose,
  onSaved,
  onConflict,
}: {
  target: ScheduleEditorTarget;
  /** Undefined while loading: destinations cannot be matched yet. */
  workflows: WorkflowSummary[] | undefined;
  onClose: () => void;
  onSaved: (response: ScheduleSaveResponse, created: boolean) => void;
  /** The schedule changed under the editor: the list is stale too. */
  onConflict: () => void;
}) {
  const api = useApi(workflowsApiRef);
  const isNew = target.kind === 'create';
  const [loaded, setLoaded] = useState<ScheduleView | undefined>(
    target.kind === 'edit' ? target.schedule : undefined,
  );
  const [initial, setInitial] = useState<ScheduleFormValues>(() =>
    target.kind === 'edit'
      ? formValuesOf(target.schedule)
      : newFormValues(target.prefill),
  );
  const [values, setValues] = useState(initial);
  const [step, setStep] = useState<Step>('edit');
  const [conflict, setConflict] = useState<ScheduleConflictError>();
  const [saving, setSaving] = useState(false);
  const [saveProblems, setSaveProblems] = useState<Problems>();

  const { patch, problems } = useMemo(
    () =>
      patchOf(values, isNew ? { kind: 'create' } : { kind: 'edit', initial }),
    [values, initial, isNew],
  );
  const locallyValid = Object.keys(problems).length === 0;
  const preview = useSchedulePreview(
    locallyValid
      ? {
          ...(loaded ? { scheduleId: loaded.scheduleId } : {}),
          definition: patch,
        }
      : undefined,
  );
  const previewProblems = preview.error
    ? serverProblemsOf(preview.error)
    : undefined;
  const shownProblems: FieldProblems = {
    ...previewProblems?.fields,
    ...saveProblems?.fields,
    ...problems,
  };

  // Changing a schedule needs the permission for what it calls now and, when
  // the destination changes, for what it will call.
  const currentGate = useScheduleUpdateGate(
    loaded && scheduleResourceRef(loaded),
  );
  const proposedGate = useScheduleUpdateGate(
    workflows && destinationResourceRef(values.destination, workflows),
  );
  const deniedReason = currentGate.deniedReason ?? proposedGate.deniedReason;
  const gateLoading = !workflows || currentGate.loading || proposedGate.loading;

  const nothingChanged = !isNew && Object.keys(patch).length === 0;
  let waitingFor: string | undefined;
  if (!locallyValid || Object.keys(previewProblems?.fields ?? {}).length) {
    waitingFor = 'Fix the marked fields first.';
  } else if (previewProblems) {
    waitingFor = 'The schedule could not be checked.';
  } else if (deniedReason) {
    waitingFor = `${deniedReason} to save this schedule.`;
  } else if (nothingChanged) {
    waitingFor = 'Nothing changed yet.';
  } else if (preview.pending || gateLoading) {
    waitingFor = 'Checking…';
  }
  const reviewable = !waitingFor && Boolean(preview.value);

  const change = (next: Partial<ScheduleFormValues>) => {
    setSaveProblems(undefined);
    setValues(current => ({ ...current, ...next }));
  };

  const save = async () => {
    setSaving(true);
    setSaveProblems(undefined);
    try {
      const response = loaded
        ? await api.updateSchedule(loaded.scheduleId, {
            ...patch,
            expectedVersion: loaded.version,
          })
        : await api.createSchedule(createRequestOf(values, patch));
      onSaved(response, isNew);
    } catch (error) {
      if (error instanceof ScheduleConflictError) {
        setConflict(error);
        setStep('conflict');
        onConflict();
      } else {
        const refused = serverProblemsOf(error as Error);
        setSaveProblems(refused);
        if (Object.keys(refused.fields).length > 0) setStep('edit');
      }
    } finally {
      setSaving(false);
    }
  };

  const moveOnto = (current: ScheduleView, keepEdits: boolean) => {
    const fresh = formValuesOf(current);
    setValues(keepEdits ? rebaseFormValues(values, initial, fresh) : fresh);
    setInitial(fresh);
    setLoaded(current);
    setConflict(undefined);
    setStep('edit');
  };

  const close = () => {
    if (!saving) onClose();
  };

  const title = loaded ? `Edit schedule ${loaded.scheduleId}` : 'New schedule';
  return (
    <Dialog
      open
      // A stray click outside must not throw the edits away.
      onClose={(_, reason) => reason !== 'backdropClick' && close()}
      aria-labelledby="schedule-editor-title"
      maxWidth="lg"
      fullWidth
    >
      <DialogTitle id="schedule-editor-title">
        {step === 'review' ? `Review: ${title}` : title}
      </DialogTitle>
      <DialogContent dividers>
        {step === 'edit' && (
          <Box
            sx={{
              display: 'grid',
              gap: 3,
              gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' },
            }}
          >
            <Stack spacing={2}>
              {loaded?.definitionSource === 'qstash' && (
                <Alert severity="info">
                  This schedule was created or changed outside the portal.
                </Alert>
              )}
              <ScheduleForm
                values={values}
                onChange={change}
                problems={shownProblems}
                isNew={isNew}
                workflows={workflows}
                unknownFields={loaded?.unknownFields ?? []}
                currentHeaderNames={loaded?.headerNames ?? []}
                disabled={saving}
              />
            </Stack>
            <Stack spacing={2}>
              {previewProblems?.other && (
                <Alert severity="error" role="alert">
                  {previewProblems.other}
                </Alert>
              )}
              {saveProblems?.other && (
                <Alert severity="error" role="alert">
                  {saveProblems.other}
                </Alert>
              )}
              <SchedulePreviewPanel
                preview={preview.value ?? preview.lastValue}
                pending={preview.pending}
                blocked={!locallyValid || Boolean(previewProblems)}
                isNew={isNew}
              />
            </Stack>
          </Box>
        )}
        {step === 'review' && preview.value && (
          <Stack spacing={2} component="section" aria-label="Review">
            <DialogContentText>
              {isNew
                ? 'Creating the schedule writes these fields to QStash.'
                : 'Saving writes these changes to QStash; fields not listed stay as they are.'}{' '}
              It fires{' '}
              {preview.value.description
                ? preview.value.description.replace(/^\w/, c => c.toLowerCase())
                : `on "${preview.value.cron}"`}{' '}
              ({preview.value.timezone}).
            </DialogContentText>
            <ScheduleChanges
              changes={preview.value.changes}
              isNew={isNew}
              label="Changes to save"
            />
            <UnknownFieldsWarning preview={preview.value} />
            {saveProblems?.other && (
              <Alert severity="error" role="alert">
                {saveProblems.other}
              </Alert>
            )}
          </Stack>
        )}
        {step === 'conflict' && conflict && (
          <ScheduleConflictPanel conflict={conflict} />
        )}
      </DialogContent>
      <DialogActions>
        {step === 'edit' && (
          <>
            {waitingFor && (
              <Typography
                variant="caption"
                color="text.secondary"
                sx={{ mr: 'auto', pl: 1 }}
              >
                {waitingFor}
              </Typography>
            )}
            <Button onClick={close}>Cancel</Button>
            <Button
              variant="contained"
              onClick={() => setStep('review')}
              disabled={!reviewable}
            >
              Review changes
            </Button>
          </>
        )}
        {step === 'review' && (
          <>
            <Button onClick={() => setStep('edit')} disabled={saving}>
              Back to editing
            </Button>
            <Button variant="contained" onClick={save} disabled={saving}>
              {saving && 'Saving…'}
              {!saving && (isNew ? 'Create schedule' : 'Save schedule')}
            </Button>
          </>
        )}
        {step === 'conflict' && conflict && (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button onClick={() => moveOnto(conflict.current, true)}>
              Keep my changes on the current version
            </Button>
            <Button
              variant="contained"
              onClick={() => moveOnto(conflict.current, false)}
            >
              Load the current version
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
