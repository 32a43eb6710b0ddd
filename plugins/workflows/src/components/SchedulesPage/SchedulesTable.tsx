import type { ScheduleView } from '@internal/plugin-workflows-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { ScheduleAction } from './ScheduleActionDialog';
import { ScheduleRow } from './ScheduleRow';

/** The schedules, one row each, with their controls. */
export function SchedulesTable({
  schedules,
  onEdit,
  onAction,
}: {
  schedules: ScheduleView[];
  onEdit: (schedule: ScheduleView) => void;
  onAction: (action: ScheduleAction, schedule: ScheduleView) => void;
}) {
  return (
    <TableContainer>
      <Table
        size="small"
        aria-label="Schedules"
        // The theme lets cells break words anywhere, which squeezes columns.
        sx={{ '& th, & td': { wordBreak: 'normal', verticalAlign: 'top' } }}
      >
        <TableHead>
          <TableRow>
            <TableCell>Schedule</TableCell>
            <TableCell>When</TableCell>
            <TableCell>Zone</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>Next fire times</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>Last fire</TableCell>
            <TableCell>Retries</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {schedules.map(schedule => (
            <ScheduleRow
              key={schedule.scheduleId}
              schedule={schedule}
              onEdit={() => onEdit(schedule)}
              onAction={action => onAction(action, schedule)}
            />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
