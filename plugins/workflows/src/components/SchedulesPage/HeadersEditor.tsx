import AddIcon from '@mui/icons-material/Add';
import RemoveCircleOutlineIcon from '@mui/icons-material/RemoveCircleOutline';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { HeaderRow } from './scheduleForm';

/**
 * The headers the destination receives. Their values often carry
 * credentials, so the portal never shows the current ones: an edit keeps
 * them unless the user chooses to replace the whole set, typing every value
 * again (masked as typed).
 */
export function HeadersEditor({
  rows,
  onRowsChange,
  replace,
  onReplaceChange,
  isNew,
  currentNames,
  currentUnknown,
  error,
  disabled,
}: {
  rows: HeaderRow[];
  onRowsChange: (rows: HeaderRow[]) => void;
  replace: boolean;
  onReplaceChange: (replace: boolean) => void;
  isNew: boolean;
  currentNames: string[];
  /** QStash returned the headers redacted and the portal did not write them. */
  currentUnknown: boolean;
  error?: string;
  disabled?: boolean;
}) {
  const setRow = (index: number, row: Partial<HeaderRow>) =>
    onRowsChange(rows.map((r, i) => (i === index ? { ...r, ...row } : r)));

  let keeping = 'No headers now.';
  if (currentUnknown) {
    keeping =
      'The current headers are unknown to the portal: saving without replacing them sends none.';
  } else if (currentNames.length) {
    keeping = `Keeps ${currentNames.join(', ')}; their values are not shown.`;
  }

  return (
    <Stack spacing={1} component="fieldset" sx={{ border: 0, m: 0, p: 0 }}>
      <Typography component="legend" variant="subtitle2">
        Headers
      </Typography>
      {!isNew && (
        <FormControlLabel
          control={
            <Switch
              checked={replace}
              onChange={event => onReplaceChange(event.target.checked)}
              disabled={disabled}
            />
          }
          label="Replace the headers"
        />
      )}
      {!isNew && !replace ? (
        <Typography
          variant="body2"
          color={currentUnknown ? 'warning.main' : 'text.secondary'}
        >
          {keeping}
        </Typography>
      ) : (
        <>
          {rows.map((row, index) => (
            <Stack key={index} direction="row" spacing={1} alignItems="center">
              <TextField
                label="Header name"
                value={row.name}
                onChange={event => setRow(index, { name: event.target.value })}
                size="small"
                disabled={disabled}
                inputProps={{ spellCheck: false }}
                sx={{ flex: 1 }}
              />
              <TextField
                label={row.name ? `Value of ${row.name}` : 'Value'}
                type="password"
                autoComplete="off"
                value={row.value}
                onChange={event => setRow(index, { value: event.target.value })}
                size="small"
                disabled={disabled}
                sx={{ flex: 2 }}
              />
              <IconButton
                aria-label={`Remove header ${row.name || index + 1}`}
                onClick={() => onRowsChange(rows.filter((_, i) => i !== index))}
                disabled={disabled}
                size="small"
              >
                <RemoveCircleOutlineIcon fontSize="small" />
              </IconButton>
            </Stack>
          ))}
          <Stack direction="row">
            <Button
              startIcon={<AddIcon />}
              size="small"
              onClick={() => onRowsChange([...rows, { name: '', value: '' }])}
              disabled={disabled}
            >
              Add header
            </Button>
          </Stack>
          {!isNew && (
            <FormHelperText>
              The set below replaces every current header.
            </FormHelperText>
          )}
        </>
      )}
      {error && <FormHelperText error>{error}</FormHelperText>}
    </Stack>
  );
}
