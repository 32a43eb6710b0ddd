import Chip from '@mui/material/Chip';
import type { RunStatus } from '@internal/plugin-workflows-common';

const LOOK: Record<
  RunStatus,
  { label: string; color: 'info' | 'success' | 'error' }
> = {
  running: { label: 'Running', color: 'info' },
  succeeded: { label: 'Succeeded', color: 'success' },
  failed: { label: 'Failed', color: 'error' },
};

export function RunStatusChip({ status }: { status: RunStatus }) {
  const { label, color } = LOOK[status];
  return <Chip size="small" label={label} color={color} variant="outlined" />;
}
