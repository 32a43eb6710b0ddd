import type { WorkflowOverview } from '@internal/plugin-workflows-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { FormEvent, useEffect, useState } from 'react';
import {
  isTriageWindowPreset,
  TRIAGE_WINDOW_PRESETS,
  triageRange,
  type TriageWindow,
} from '../../hooks/triageWindow';
import { isoToLocalInput, localInputToIso } from '../shared/localDateTime';
import {
  GROUP_SORTS,
  type FailuresView,
  type FailuresViewChange,
  type GroupSort,
} from './useFailuresView';

type CustomDraft = { from: string; to: string };

const draftOf = (timeWindow: TriageWindow): CustomDraft => {
  const { from, to } = triageRange(timeWindow);
  return { from: isoToLocalInput(from), to: isoToLocalInput(to) };
};

/**
 * Window, workflow and sort of the failures page. A preset window, the
 * workflow and the sort apply at once; a custom window on "Apply".
 */
export function FailuresToolbar({
  view,
  workflows,
  onChange,
}: {
  view: FailuresView;
  /** The workflows to filter by; undefined while they load. */
  workflows: WorkflowOverview[] | undefined;
  onChange: (change: FailuresViewChange) => void;
}) {
  const custom = view.window.kind === 'custom';
  // The URL is the source of truth: back/forward or a link resets the draft.
  const windowKey = JSON.stringify(view.window);
  const [draft, setDraft] = useState<CustomDraft | undefined>(
    custom ? draftOf(view.window) : undefined,
  );
  useEffect(() => {
    const timeWindow: TriageWindow = JSON.parse(windowKey);
    setDraft(timeWindow.kind === 'custom' ? draftOf(timeWindow) : undefined);
  }, [windowKey]);

  // An open custom draft shows as "Custom" before it is applied.
  const windowName =
    !draft && view.window.kind === 'preset' ? view.window.preset : 'custom';

  const from = draft && localInputToIso(draft.from);
  const to = draft && localInputToIso(draft.to);
  const rangeError =
    from && to && from >= to ? '"To" must be later than "From"' : undefined;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!from || !to || rangeError) return;
    onChange({ window: { kind: 'custom', from, to } });
  };

  // A workflow named in the URL stays selectable before the list arrives.
  const workflowOptions = workflows ?? [];
  const unknownWorkflow =
    view.workflow && !workflowOptions.some(w => w.id === view.workflow)
      ? view.workflow
      : undefined;

  return (
    <Box
      component="form"
      role="search"
      aria-label="Failure filters"
      onSubmit={apply}
      sx={{
        display: 'grid',
        gap: 1.5,
        gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
        alignItems: 'start',
      }}
    >
      <TextField
        select
        size="small"
        label="Window"
        value={windowName}
        onChange={event => {
          const name = event.target.value;
          if (isTriageWindowPreset(name)) {
            setDraft(undefined);
            onChange({ window: { kind: 'preset', preset: name } });
          } else {
            setDraft(draftOf(view.window));
          }
        }}
      >
        {Object.entries(TRIAGE_WINDOW_PRESETS).map(([name, preset]) => (
          <MenuItem key={name} value={name}>
            {preset.label}
          </MenuItem>
        ))}
        <MenuItem value="custom">Custom</MenuItem>
      </TextField>
      {draft && (
        <>
          <TextField
            size="small"
            type="datetime-local"
            label="From"
            InputLabelProps={{ shrink: true }}
            value={draft.from}
            onChange={event => setDraft({ ...draft, from: event.target.value })}
          />
          <TextField
            size="small"
            type="datetime-local"
            label="To"
            InputLabelProps={{ shrink: true }}
            value={draft.to}
            error={Boolean(rangeError)}
            helperText={rangeError}
            onChange={event => setDraft({ ...draft, to: event.target.value })}
          />
          <Box>
            <Button
              type="submit"
              variant="contained"
              disabled={!from || !to || Boolean(rangeError)}
              sx={{ whiteSpace: 'nowrap' }}
            >
              Apply window
            </Button>
          </Box>
        </>
      )}
      <TextField
        select
        size="small"
        label="Workflow"
        value={view.workflow ?? ''}
        onChange={event =>
          onChange({ workflow: event.target.value || undefined })
        }
      >
        <MenuItem value="">All workflows</MenuItem>
        {unknownWorkflow && (
          <MenuItem value={unknownWorkflow}>{unknownWorkflow}</MenuItem>
        )}
        {workflowOptions.map(workflow => (
          <MenuItem key={workflow.id} value={workflow.id}>
            {workflow.title}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label="Sort by"
        value={view.sort}
        onChange={event => onChange({ sort: event.target.value as GroupSort })}
      >
        {Object.entries(GROUP_SORTS).map(([name, label]) => (
          <MenuItem key={name} value={name}>
            {label}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
}
