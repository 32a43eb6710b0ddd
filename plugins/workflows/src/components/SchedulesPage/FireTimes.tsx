import type { ScheduleFireTime } from '@internal/plugin-workflows-common';
import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { formatRelativeTime } from '../shared/time';
import { formatFireTime } from './formatFireTime';

function FireTimeItem({
  fire,
  timezone,
  relative,
}: {
  fire: ScheduleFireTime;
  timezone: string;
  relative?: boolean;
}) {
  return (
    <Typography component="li" variant="body2" sx={{ whiteSpace: 'nowrap' }}>
      <time dateTime={fire.local}>{formatFireTime(fire, timezone)}</time>
      {relative && (
        <Typography component="span" variant="caption" color="text.secondary">
          {' '}
          ({formatRelativeTime(fire.at)})
        </Typography>
      )}
    </Typography>
  );
}

const listSx = { m: 0, p: 0, listStyle: 'none' } as const;

/**
 * The next fire times as wall times in the schedule's zone, the first also
 * relative to now. With `limit`, the rest are in a tooltip.
 */
export function FireTimes({
  times,
  timezone,
  label,
  limit,
  emptyText,
}: {
  times: ScheduleFireTime[];
  timezone: string;
  label: string;
  limit?: number;
  emptyText: string;
}) {
  if (times.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {emptyText}
      </Typography>
    );
  }
  const shown = limit ? times.slice(0, limit) : times;
  const hidden = times.length - shown.length;
  return (
    <Box>
      <Box component="ol" aria-label={label} sx={listSx}>
        {shown.map((fire, index) => (
          <FireTimeItem
            key={fire.at}
            fire={fire}
            timezone={timezone}
            relative={index === 0}
          />
        ))}
      </Box>
      {hidden > 0 && (
        <Tooltip
          title={
            <Box component="ol" sx={listSx}>
              {times.map(fire => (
                <FireTimeItem key={fire.at} fire={fire} timezone={timezone} />
              ))}
            </Box>
          }
        >
          <Typography
            variant="caption"
            color="text.secondary"
            tabIndex={0}
            sx={{ cursor: 'help' }}
          >
            and {hidden} more
          </Typography>
        </Tooltip>
      )}
    </Box>
  );
}
