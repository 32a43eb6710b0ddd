import type { SchedulePreviewResponse } from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { FireTimes } from './FireTimes';
import { ScheduleChanges } from './ScheduleChanges';
import { fieldsText } from './scheduleFields';

/** What saving would leave at QStash's default because it is unknown and unset. */
export function UnknownFieldsWarning({
  preview,
}: {
  preview: SchedulePreviewResponse;
}) {
  if (preview.unknownFields.length === 0) return null;
  const fields = fieldsText(preview.unknownFields);
  return (
    <Alert severity="warning">
      The portal does not know the current {fields} of this schedule. Saving
      sends QStash's default for{' '}
      {preview.unknownFields.length === 1 ? 'it' : 'them'} unless you set{' '}
      {preview.unknownFields.length === 1 ? 'it' : 'them'} here.
    </Alert>
  );
}

/**
 * The server's reading of the proposal as it is typed: the cron in words,
 * the next five fire times in the chosen zone and what saving would change.
 */
export function SchedulePreviewPanel({
  preview,
  pending,
  blocked,
  isNew,
}: {
  /** The last good preview; may be older than the form while `pending`. */
  preview: SchedulePreviewResponse | undefined;
  pending: boolean;
  /** The form has problems: the shown preview, if any, is not of it. */
  blocked: boolean;
  isNew: boolean;
}) {
  if (blocked || !preview) {
    return (
      <Stack spacing={1} component="section" aria-label="Preview">
        {pending && <LinearProgress aria-label="Checking the schedule" />}
        <Typography variant="body2" color="text.secondary">
          {blocked
            ? 'Fix the marked fields to see when the schedule fires.'
            : 'Checking the schedule…'}
        </Typography>
      </Stack>
    );
  }
  return (
    <Stack
      spacing={2}
      component="section"
      aria-label="Preview"
      aria-busy={pending}
      sx={{ opacity: pending ? 0.6 : 1, transition: 'opacity 150ms' }}
    >
      <Box sx={{ minHeight: 4 }}>
        {pending && <LinearProgress aria-label="Checking the schedule" />}
      </Box>
      <Box>
        <Typography variant="overline" color="text.secondary">
          Fires
        </Typography>
        <Typography variant="body1" data-testid="preview-description">
          {preview.description ?? 'This cron cannot be put in words'}
        </Typography>
        <Typography
          variant="caption"
          component="code"
          fontFamily="monospace"
          color="text.secondary"
        >
          {preview.qstashCron}
        </Typography>
      </Box>
      <Box>
        <Typography variant="overline" color="text.secondary">
          Next 5 fire times in {preview.timezone}
        </Typography>
        <FireTimes
          times={preview.nextFireTimes}
          timezone={preview.timezone}
          label="Next 5 fire times"
          emptyText="This cron never fires."
        />
      </Box>
      <Box>
        <Typography variant="overline" color="text.secondary">
          {isNew ? 'The new schedule' : 'What saving changes'}
        </Typography>
        <ScheduleChanges
          changes={preview.changes}
          isNew={isNew}
          label={isNew ? 'The new schedule' : 'What saving changes'}
        />
      </Box>
      <UnknownFieldsWarning preview={preview} />
    </Stack>
  );
}
