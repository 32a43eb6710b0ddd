import type { ScheduleView } from '@internal/plugin-workflows-common';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactElement } from 'react';
import { FireTimes } from './FireTimes';
import { LastFire } from './LastFire';
import type { ScheduleAction } from './ScheduleActionDialog';
import { fieldsText } from './scheduleFields';
import { scheduleResourceRef } from './scheduleTarget';
import { ScheduleTargetText } from './ScheduleTargetText';
import { useScheduleUpdateGate } from './useScheduleUpdateGate';

/** A control that, when disabled, explains why in a tooltip. */
function Explained({
  reason,
  children,
}: {
  reason?: string;
  children: ReactElement;
}) {
  if (!reason) return children;
  return (
    <Tooltip title={reason}>
      {/* A disabled control fires no pointer events; the span carries the tooltip. */}
      <span>{children}</span>
    </Tooltip>
  );
}

/**
 * One schedule: what it calls, when (in words, its zone and the next fire
 * times), how its last tick went, and its controls, gated on
 * `workflows.schedule.update` for its workflow or destination.
 */
export function ScheduleRow({
  schedule,
  onEdit,
  onAction,
}: {
  schedule: ScheduleView;
  onEdit: () => void;
  onAction: (action: ScheduleAction) => void;
}) {
  const { loading, deniedReason } = useScheduleUpdateGate(
    scheduleResourceRef(schedule),
  );
  const blocked = loading || Boolean(deniedReason);
  const id = schedule.scheduleId;
  return (
    <TableRow data-testid={`schedule-${id}`} hover>
      <TableCell sx={{ minWidth: 200 }}>
        <Stack spacing={0.5} alignItems="flex-start">
          <Typography
            variant="body2"
            fontFamily="monospace"
            sx={{ overflowWrap: 'anywhere' }}
          >
            {id}
          </Typography>
          <ScheduleTargetText schedule={schedule} />
          {schedule.unknownFields.length > 0 && (
            <Tooltip title="QStash does not return these (or returns them redacted), and the portal did not write the schedule as it stands. Saving without setting them sends QStash's default.">
              <Typography variant="caption" color="warning.main" tabIndex={0}>
                Unknown to the portal: {fieldsText(schedule.unknownFields)}
              </Typography>
            </Tooltip>
          )}
        </Stack>
      </TableCell>
      <TableCell sx={{ minWidth: 180 }}>
        <Stack spacing={0.25}>
          <Typography variant="body2">
            {schedule.description ?? 'Cron not readable in words'}
          </Typography>
          <Typography
            variant="caption"
            component="code"
            fontFamily="monospace"
            color="text.secondary"
          >
            {schedule.cron}
          </Typography>
        </Stack>
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{schedule.timezone}</TableCell>
      <TableCell>
        <FireTimes
          times={schedule.nextFireTimes}
          timezone={schedule.timezone}
          label={`Next fire times of ${id}`}
          limit={3}
          emptyText={
            schedule.isPaused ? 'None while paused' : 'Cannot be worked out'
          }
        />
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        <LastFire schedule={schedule} />
      </TableCell>
      <TableCell>
        {schedule.retries ??
          (schedule.unknownFields.includes('retries') ? 'Unknown' : 'Default')}
      </TableCell>
      <TableCell>
        <Explained reason={deniedReason}>
          <FormControlLabel
            label={schedule.isPaused ? 'Paused' : 'Active'}
            control={
              <Switch
                checked={!schedule.isPaused}
                disabled={blocked}
                onChange={() =>
                  onAction(schedule.isPaused ? 'resume' : 'pause')
                }
                inputProps={{
                  'aria-label': schedule.isPaused
                    ? `Resume ${id}`
                    : `Pause ${id}`,
                }}
              />
            }
          />
        </Explained>
      </TableCell>
      <TableCell>
        <Stack direction="row" spacing={0.5} alignItems="center">
          <Explained reason={deniedReason}>
            <IconButton
              aria-label={`Edit ${id}`}
              onClick={onEdit}
              disabled={blocked}
              size="small"
            >
              <EditIcon fontSize="small" />
            </IconButton>
          </Explained>
          <Explained reason={deniedReason}>
            <IconButton
              aria-label={`Delete ${id}`}
              onClick={() => onAction('delete')}
              disabled={blocked}
              size="small"
            >
              <DeleteIcon fontSize="small" />
            </IconButton>
          </Explained>
        </Stack>
        {deniedReason && (
          <Typography
            variant="caption"
            color="text.secondary"
            display="block"
            sx={{ maxWidth: 200 }}
          >
            {deniedReason} to change this schedule.
          </Typography>
        )}
      </TableCell>
    </TableRow>
  );
}
