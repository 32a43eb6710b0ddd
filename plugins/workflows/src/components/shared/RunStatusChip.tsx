import Chip from '@mui/material/Chip';
import type { RunStatus, StepState } from '@internal/plugin-workflows-common';

type ChipColor = 'default' | 'info' | 'success' | 'warning' | 'error';

const RUN_LOOK: Record<RunStatus, { label: string; color: ChipColor }> = {
  running: { label: 'Running', color: 'info' },
  succeeded: { label: 'Succeeded', color: 'success' },
  failed: { label: 'Failed', color: 'error' },
  cancelled: { label: 'Cancelled', color: 'default' },
};

const STEP_LOOK: Record<StepState, { label: string; color: ChipColor }> = {
  pending: { label: 'Pending', color: 'default' },
  running: { label: 'Running', color: 'info' },
  retrying: { label: 'Retrying', color: 'warning' },
  succeeded: { label: 'Succeeded', color: 'success' },
  failed: { label: 'Failed', color: 'error' },
  cancelled: { label: 'Cancelled', color: 'default' },
};

export const runStatusLabel = (status: RunStatus) => RUN_LOOK[status].label;

export function RunStatusChip({ status }: { status: RunStatus }) {
  const { label, color } = RUN_LOOK[status];
  return <Chip size="small" label={label} color={color} variant="outlined" />;
}

export function StepStateChip({ state }: { state: StepState }) {
  const { label, color } = STEP_LOOK[state];
  return <Chip size="small" label={label} color={color} variant="outlined" />;
}
