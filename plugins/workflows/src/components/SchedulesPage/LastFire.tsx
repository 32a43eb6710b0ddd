import type { ScheduleView } from '@internal/plugin-workflows-common';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { RelativeTime } from '../shared/time';

const STATES: Record<
  string,
  { label: string; color: 'success' | 'error' | 'info' }
> = {
  SUCCESS: { label: 'Delivered', color: 'success' },
  FAIL: { label: 'Failed', color: 'error' },
  IN_PROGRESS: { label: 'In progress', color: 'info' },
};

/** When QStash last fired the schedule and how delivering that tick went. */
export function LastFire({ schedule }: { schedule: ScheduleView }) {
  if (!schedule.lastFireTime) {
    return (
      <Typography variant="body2" color="text.secondary">
        Never fired
      </Typography>
    );
  }
  const state = schedule.lastFireState;
  // QStash may add states: an unknown one is shown as it comes.
  const known = state ? STATES[state] : undefined;
  return (
    <Stack spacing={0.5} alignItems="flex-start">
      <RelativeTime iso={schedule.lastFireTime} />
      {state && (
        <Chip
          size="small"
          variant="outlined"
          label={known?.label ?? state}
          color={known?.color ?? 'default'}
        />
      )}
    </Stack>
  );
}
