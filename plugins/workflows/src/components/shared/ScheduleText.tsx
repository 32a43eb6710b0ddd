import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { WorkflowSchedule } from '@internal/plugin-workflows-common';
import { describeCron } from './describeCron';
import { RelativeTime } from './time';

/** The cron expression, what it means in words, its zone and the next run. */
export function ScheduleText({
  schedule,
  nextRunAt,
}: {
  schedule: WorkflowSchedule | null;
  nextRunAt: string | null;
}) {
  if (!schedule) {
    return (
      <Typography variant="body2" color="text.secondary">
        Not scheduled
      </Typography>
    );
  }
  const words = describeCron(schedule.cron);
  return (
    <Stack spacing={0.25}>
      <Typography variant="body2">
        {words ?? 'Unreadable cron expression'} ({schedule.timezone})
      </Typography>
      <Typography
        variant="caption"
        component="code"
        fontFamily="monospace"
        color="text.secondary"
      >
        {schedule.cron}
      </Typography>
      {nextRunAt && (
        <Typography variant="caption" color="text.secondary">
          Next run <RelativeTime iso={nextRunAt} />
        </Typography>
      )}
    </Stack>
  );
}
