import type { ScheduleChange } from '@internal/plugin-workflows-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { fieldValueText, SCHEDULE_FIELD_LABELS } from './scheduleFields';

const valueSx = {
  fontFamily: 'monospace',
  overflowWrap: 'anywhere',
  whiteSpace: 'pre-wrap',
  wordBreak: 'normal',
} as const;

/**
 * What a save writes, field by field: before and after for an edit, the
 * values for a new schedule. A value the portal cannot know says so.
 */
export function ScheduleChanges({
  changes,
  isNew,
  label,
}: {
  changes: ScheduleChange[];
  isNew: boolean;
  label: string;
}) {
  if (changes.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        Nothing changes.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          {!isNew && <TableCell>Now</TableCell>}
          <TableCell>{isNew ? 'Value' : 'After saving'}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map(change => (
          <TableRow key={change.field} data-testid={`change-${change.field}`}>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              {SCHEDULE_FIELD_LABELS[change.field]}
            </TableCell>
            {!isNew && (
              <TableCell sx={valueSx}>
                {change.beforeUnknown ? (
                  <Typography
                    variant="body2"
                    component="span"
                    color="warning.main"
                    fontStyle="italic"
                  >
                    Unknown to the portal
                  </Typography>
                ) : (
                  fieldValueText(change.field, change.before)
                )}
              </TableCell>
            )}
            <TableCell sx={valueSx}>
              {fieldValueText(change.field, change.after)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
