import { runStatusSchema } from '@internal/plugin-workflows-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { FormEvent, useEffect, useState } from 'react';
import type { RunFilters } from '../../hooks/useRuns';
import { isoToLocalInput, localInputToIso } from '../shared/localDateTime';
import { runStatusLabel } from '../shared/RunStatusChip';

type Draft = {
  state: string;
  step: string;
  error: string;
  label: string;
  from: string;
  to: string;
};

function draftOf(filters: RunFilters): Draft {
  return {
    state: filters.state ?? '',
    step: filters.step ?? '',
    error: filters.error ?? '',
    label: filters.label ?? '',
    from: isoToLocalInput(filters.from),
    to: isoToLocalInput(filters.to),
  };
}

function filtersOf(draft: Draft): RunFilters {
  return {
    state: draft.state || undefined,
    step: draft.step.trim() || undefined,
    error: draft.error.trim() || undefined,
    label: draft.label.trim() || undefined,
    from: localInputToIso(draft.from),
    to: localInputToIso(draft.to),
  };
}

/**
 * The run filters the server applies. Text and time fields apply on
 * "Apply filters" (or Enter); the state applies as soon as it is picked.
 */
export function RunFiltersForm({
  filters,
  onApply,
}: {
  filters: RunFilters;
  onApply: (filters: RunFilters) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  // The URL is the source of truth: back/forward or a link resets the form.
  const filtersKey = JSON.stringify(filters);
  useEffect(() => {
    setDraft(draftOf(JSON.parse(filtersKey)));
  }, [filtersKey]);

  const rangeError =
    draft.from && draft.to && draft.from >= draft.to
      ? '"Started before" must be later than "Started from"'
      : undefined;

  const apply = (next: Draft) => {
    if (next.from && next.to && next.from >= next.to) return;
    onApply(filtersOf(next));
  };

  const field = (name: keyof Draft) => ({
    value: draft[name],
    onChange: (event: { target: { value: string } }) =>
      setDraft({ ...draft, [name]: event.target.value }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };

  return (
    <Box
      component="form"
      role="search"
      aria-label="Run filters"
      onSubmit={onSubmit}
      sx={{
        display: 'grid',
        gap: 1.5,
        gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))',
        alignItems: 'start',
      }}
    >
      <TextField
        select
        size="small"
        label="State"
        value={draft.state}
        onChange={event => {
          const next = { ...draft, state: event.target.value };
          setDraft(next);
          apply(next);
        }}
      >
        <MenuItem value="">All states</MenuItem>
        {runStatusSchema.options.map(status => (
          <MenuItem key={status} value={status}>
            {runStatusLabel(status)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        size="small"
        label="Step"
        placeholder="Exact step name"
        {...field('step')}
      />
      <TextField
        size="small"
        label="Error contains"
        {...field('error')}
        inputProps={{ maxLength: 200 }}
      />
      <TextField size="small" label="Label" {...field('label')} />
      <TextField
        size="small"
        type="datetime-local"
        label="Started from"
        InputLabelProps={{ shrink: true }}
        {...field('from')}
      />
      <TextField
        size="small"
        type="datetime-local"
        label="Started before"
        InputLabelProps={{ shrink: true }}
        error={Boolean(rangeError)}
        helperText={rangeError}
        {...field('to')}
      />
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
        <Button
          type="submit"
          variant="contained"
          disabled={!!rangeError}
          sx={{ whiteSpace: 'nowrap' }}
        >
          Apply filters
        </Button>
        <Button
          type="button"
          onClick={() => onApply({})}
          sx={{ whiteSpace: 'nowrap' }}
        >
          Clear filters
        </Button>
      </Box>
    </Box>
  );
}
