import type {
  ProbeVerdict,
  WorkflowHealth,
} from '@internal/plugin-workflows-common';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import {
  healthVerdictLabel,
  VERDICTS_WORST_FIRST,
} from '../shared/HealthVerdictChip';

/** Shows the workflows of one verdict, each option with its count. */
export function HealthVerdictFilter({
  verdict,
  items,
  onChange,
}: {
  verdict: ProbeVerdict | undefined;
  /** Every workflow, to count; undefined while they load. */
  items: WorkflowHealth[] | undefined;
  onChange: (verdict: ProbeVerdict | undefined) => void;
}) {
  const countOf = (of?: ProbeVerdict) =>
    items ? ` (${items.filter(i => !of || i.verdict === of).length})` : '';
  return (
    <TextField
      select
      size="small"
      label="Verdict"
      value={verdict ?? ''}
      onChange={event =>
        onChange((event.target.value as ProbeVerdict) || undefined)
      }
      sx={{ minWidth: 200 }}
    >
      <MenuItem value="">All verdicts{countOf()}</MenuItem>
      {VERDICTS_WORST_FIRST.map(option => (
        <MenuItem key={option} value={option}>
          {healthVerdictLabel(option)}
          {countOf(option)}
        </MenuItem>
      ))}
    </TextField>
  );
}
