import { scheduleFieldSchema } from '@internal/plugin-workflows-common';
import type {
  ScheduleDefinitionView,
  ScheduleField,
} from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ScheduleConflictError } from '../../api/ScheduleConflictError';
import { RelativeTime } from '../shared/time';
import { fieldValueText, SCHEDULE_FIELD_LABELS } from './scheduleFields';

/** Each field of a definition as text; header names only, never values. */
function valueOf(
  definition: ScheduleDefinitionView,
  field: ScheduleField,
): string | number | null {
  if (field === 'headers') {
    return definition.headerNames.length
      ? definition.headerNames.join(', ')
      : null;
  }
  return definition[field];
}

const FIELDS: readonly ScheduleField[] = scheduleFieldSchema.options;

const valueSx = {
  fontFamily: 'monospace',
  overflowWrap: 'anywhere',
  whiteSpace: 'pre-wrap',
  wordBreak: 'normal',
} as const;

/**
 * A save refused because someone changed the schedule meanwhile: the version
 * QStash holds now next to the one this editor would have written, the rows
 * that differ marked.
 */
export function ScheduleConflictPanel({
  conflict,
}: {
  conflict: ScheduleConflictError;
}) {
  const { current, proposed } = conflict;
  const differing = new Set(conflict.changes.map(change => change.field));
  return (
    <Stack spacing={2}>
      <Alert severity="warning" role="alert">
        <AlertTitle>This schedule changed since you opened it</AlertTitle>
        Nothing was saved. Compare the two versions, then load the current one
        or keep your changes on top of it and review again.
        {current.definitionSource === 'qstash' &&
          ' It was changed outside the portal.'}
      </Alert>
      <Table size="small" aria-label="Both versions of the schedule">
        <TableHead>
          <TableRow>
            <TableCell>Field</TableCell>
            <TableCell>
              Now on QStash
              {current.createdAt && (
                <>
                  {' '}
                  (created <RelativeTime iso={current.createdAt} />)
                </>
              )}
            </TableCell>
            <TableCell>Your version</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {FIELDS.map(field => {
            const unknown = current.unknownFields.includes(field);
            const differs = differing.has(field);
            return (
              <TableRow
                key={field}
                data-testid={`version-${field}`}
                selected={differs}
              >
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {SCHEDULE_FIELD_LABELS[field]}
                  {differs && (
                    <Typography
                      component="span"
                      variant="caption"
                      color="warning.main"
                      display="block"
                    >
                      Differs
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={valueSx}>
                  {unknown
                    ? 'Unknown to the portal'
                    : fieldValueText(field, valueOf(current, field))}
                </TableCell>
                <TableCell sx={valueSx}>
                  {fieldValueText(field, valueOf(proposed, field))}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Stack>
  );
}
