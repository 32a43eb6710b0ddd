import {
  scheduleMethodSchema,
  type ScheduleField,
  type WorkflowSummary,
} from '@internal/plugin-workflows-common';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { DestinationField } from './DestinationField';
import { HeadersEditor } from './HeadersEditor';
import type { FieldProblems, ScheduleFormValues } from './scheduleForm';
import { TimezoneField } from './TimezoneField';

const UNKNOWN_NOTE =
  'Unknown to the portal (QStash does not return it): leave empty for the default, or set it';

const mono = { spellCheck: false, style: { fontFamily: 'monospace' } };

/** The editor's fields; each shows its own problem, from the form or the server. */
export function ScheduleForm({
  values,
  onChange,
  problems,
  isNew,
  workflows,
  unknownFields,
  currentHeaderNames,
  disabled,
}: {
  values: ScheduleFormValues;
  onChange: (change: Partial<ScheduleFormValues>) => void;
  problems: FieldProblems;
  isNew: boolean;
  workflows: WorkflowSummary[] | undefined;
  /** Fields of the loaded schedule whose value the portal cannot know. */
  unknownFields: ScheduleField[];
  currentHeaderNames: string[];
  disabled?: boolean;
}) {
  const unknown = (field: ScheduleField) => unknownFields.includes(field);
  const known: readonly string[] = scheduleMethodSchema.options;
  // A method QStash holds that the API does not offer stays visible.
  const methods = known.includes(values.method)
    ? known
    : [values.method, ...known];

  return (
    <Stack spacing={2} component="fieldset" sx={{ border: 0, m: 0, p: 0 }}>
      {isNew && (
        <TextField
          label="Schedule id"
          value={values.scheduleId}
          onChange={event => onChange({ scheduleId: event.target.value })}
          error={Boolean(problems.scheduleId)}
          helperText={
            problems.scheduleId ??
            'Optional; one is generated when empty (letters, digits, ".", "_", "-").'
          }
          size="small"
          disabled={disabled}
          inputProps={mono}
        />
      )}
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          select
          label="Method"
          value={values.method}
          onChange={event => onChange({ method: event.target.value })}
          error={Boolean(problems.method)}
          helperText={problems.method}
          size="small"
          disabled={disabled}
          sx={{ minWidth: 120 }}
        >
          {methods.map(method => (
            <MenuItem key={method} value={method}>
              {method}
            </MenuItem>
          ))}
        </TextField>
        <Stack sx={{ flex: 1 }}>
          <DestinationField
            value={values.destination}
            onChange={destination => onChange({ destination })}
            workflows={workflows}
            error={problems.destination}
            disabled={disabled}
          />
        </Stack>
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          label="Cron"
          value={values.cron}
          onChange={event => onChange({ cron: event.target.value })}
          error={Boolean(problems.cron)}
          helperText={
            problems.cron ?? 'minute hour day-of-month month day-of-week'
          }
          required
          size="small"
          disabled={disabled}
          inputProps={mono}
          sx={{ flex: 1 }}
        />
        <Stack sx={{ flex: 1 }}>
          <TimezoneField
            value={values.timezone}
            onChange={timezone => onChange({ timezone })}
            error={problems.timezone}
            helperText="The cron's hours and days are read in this zone."
            disabled={disabled}
          />
        </Stack>
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          label="Retries"
          value={values.retries}
          onChange={event => onChange({ retries: event.target.value })}
          error={Boolean(problems.retries)}
          helperText={
            problems.retries ??
            (unknown('retries') ? UNKNOWN_NOTE : "Empty: QStash's default.")
          }
          size="small"
          disabled={disabled}
          inputProps={{ inputMode: 'numeric' }}
          sx={{ flex: 1 }}
        />
        <TextField
          label="Timeout (seconds)"
          value={values.timeoutSeconds}
          onChange={event => onChange({ timeoutSeconds: event.target.value })}
          error={Boolean(problems.timeoutSeconds)}
          helperText={
            problems.timeoutSeconds ??
            (unknown('timeoutSeconds')
              ? UNKNOWN_NOTE
              : "Empty: the plan's default.")
          }
          size="small"
          disabled={disabled}
          inputProps={{ inputMode: 'numeric' }}
          sx={{ flex: 1 }}
        />
      </Stack>
      <TextField
        label="Body"
        value={values.body}
        onChange={event => onChange({ body: event.target.value })}
        error={Boolean(problems.body)}
        helperText={
          problems.body ??
          (unknown('body')
            ? 'Unknown to the portal (QStash returns it redacted): leave empty to send none, or set it'
            : 'Sent on every tick; empty for none.')
        }
        multiline
        minRows={2}
        maxRows={10}
        size="small"
        disabled={disabled}
        inputProps={mono}
      />
      <HeadersEditor
        rows={values.headers}
        onRowsChange={headers => onChange({ headers })}
        replace={values.replaceHeaders}
        onReplaceChange={replaceHeaders => onChange({ replaceHeaders })}
        isNew={isNew}
        currentNames={currentHeaderNames}
        currentUnknown={unknown('headers')}
        error={problems.headers}
        disabled={disabled}
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          label="Callback"
          value={values.callback}
          onChange={event => onChange({ callback: event.target.value })}
          error={Boolean(problems.callback)}
          helperText={
            problems.callback ?? 'Optional; QStash posts each response here.'
          }
          size="small"
          disabled={disabled}
          inputProps={mono}
          sx={{ flex: 1 }}
        />
        <TextField
          label="Failure callback"
          value={values.failureCallback}
          onChange={event => onChange({ failureCallback: event.target.value })}
          error={Boolean(problems.failureCallback)}
          helperText={
            problems.failureCallback ??
            'Optional; QStash posts here when retries run out.'
          }
          size="small"
          disabled={disabled}
          inputProps={mono}
          sx={{ flex: 1 }}
        />
      </Stack>
    </Stack>
  );
}
