import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import { useMemo } from 'react';
import { DEFAULT_TIMEZONE } from './scheduleForm';

/** The IANA zones this browser knows, UTC first. */
function knownZones(): string[] {
  // Browsers from before 2022 cannot list zones: UTC and the current one remain.
  const zones =
    typeof Intl.supportedValuesOf === 'function'
      ? Intl.supportedValuesOf('timeZone')
      : [];
  return [DEFAULT_TIMEZONE, ...zones.filter(zone => zone !== DEFAULT_TIMEZONE)];
}

/**
 * Picks the IANA zone the cron is read in. A zone the browser does not list
 * (an alias QStash holds) stays selectable; the server checks every zone.
 */
export function TimezoneField({
  value,
  onChange,
  error,
  helperText,
  disabled,
}: {
  value: string;
  onChange: (zone: string) => void;
  error?: string;
  helperText: string;
  disabled?: boolean;
}) {
  const zones = useMemo(knownZones, []);
  const options = zones.includes(value) ? zones : [value, ...zones];
  return (
    <Autocomplete
      options={options}
      value={value}
      onChange={(_, zone) => zone && onChange(zone)}
      disableClearable
      autoHighlight
      disabled={disabled}
      renderInput={params => (
        <TextField
          {...params}
          label="Time zone"
          error={Boolean(error)}
          helperText={error ?? helperText}
          size="small"
        />
      )}
    />
  );
}
