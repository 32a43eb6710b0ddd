import type { WorkflowSummary } from '@internal/plugin-workflows-common';
import Autocomplete from '@mui/material/Autocomplete';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { workflowAt } from './scheduleTarget';

/**
 * The URL QStash calls: any http(s) URL, or a known workflow's endpoint
 * picked by its title. Says which workflow the URL is, if any.
 */
export function DestinationField({
  value,
  onChange,
  workflows,
  error,
  disabled,
}: {
  value: string;
  onChange: (destination: string) => void;
  workflows: WorkflowSummary[] | undefined;
  error?: string;
  disabled?: boolean;
}) {
  const matched = workflowAt(value, workflows);
  let hint = 'Pick a workflow or type the URL QStash calls.';
  if (matched) hint = `Calls the workflow ${matched.title}.`;
  else if (value.trim()) {
    hint =
      'No workflow the portal knows has this URL: the schedule is listed as an unknown destination.';
  }
  return (
    <Autocomplete
      freeSolo
      options={workflows ?? []}
      inputValue={value}
      onInputChange={(_, text) => onChange(text)}
      getOptionLabel={option =>
        typeof option === 'string' ? option : option.endpoint
      }
      filterOptions={(options, { inputValue }) => {
        const wanted = inputValue.trim().toLowerCase();
        return options.filter(
          w =>
            !wanted ||
            w.title.toLowerCase().includes(wanted) ||
            w.endpoint.toLowerCase().includes(wanted),
        );
      }}
      renderOption={(props, workflow) => (
        <li {...props} key={workflow.id}>
          <Stack>
            <Typography variant="body2">{workflow.title}</Typography>
            <Typography
              variant="caption"
              color="text.secondary"
              fontFamily="monospace"
            >
              {workflow.endpoint}
            </Typography>
          </Stack>
        </li>
      )}
      disabled={disabled}
      renderInput={params => (
        <TextField
          {...params}
          label="Destination"
          required
          error={Boolean(error)}
          helperText={error ?? hint}
          size="small"
          inputProps={{ ...params.inputProps, spellCheck: false }}
        />
      )}
    />
  );
}
