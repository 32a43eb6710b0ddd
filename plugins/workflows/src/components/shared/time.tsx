import Tooltip from '@mui/material/Tooltip';

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "5 minutes ago", "in 2 hours", relative to `now`. */
export function formatRelativeTime(iso: string, now = Date.now()): string {
  const diff = Date.parse(iso) - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size || unit === 'second') {
      return relative.format(Math.round(diff / size), unit);
    }
  }
  return iso;
}

/** Date and time in the reader's locale and zone, to the second. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
}

/** A relative time with the exact time in its tooltip. */
export function RelativeTime({ iso }: { iso: string }) {
  return (
    <Tooltip title={formatDateTime(iso)}>
      <time dateTime={iso} style={{ whiteSpace: 'nowrap' }}>
        {formatRelativeTime(iso)}
      </time>
    </Tooltip>
  );
}
