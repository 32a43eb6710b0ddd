import { Link } from '@backstage/core-components';
import type { ScheduleView } from '@internal/plugin-workflows-common';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useWorkflowPath } from '../shared/links';

/**
 * What the schedule calls: a link to the workflow's page, or the URL marked
 * as a destination the portal knows no workflow for.
 */
export function ScheduleTargetText({ schedule }: { schedule: ScheduleView }) {
  const workflowPath = useWorkflowPath();
  return (
    <Stack spacing={0.25} alignItems="flex-start" sx={{ minWidth: 0 }}>
      {schedule.workflowId ? (
        <Link to={workflowPath(schedule.workflowId)}>
          {schedule.workflowTitle ?? schedule.workflowId}
        </Link>
      ) : (
        <Tooltip title="No workflow the portal knows has this URL as its endpoint">
          <Chip
            size="small"
            color="warning"
            variant="outlined"
            label="Unknown destination"
          />
        </Tooltip>
      )}
      <Typography
        variant="caption"
        color="text.secondary"
        fontFamily="monospace"
        sx={{ overflowWrap: 'anywhere' }}
      >
        {schedule.method} {schedule.destination}
      </Typography>
    </Stack>
  );
}
