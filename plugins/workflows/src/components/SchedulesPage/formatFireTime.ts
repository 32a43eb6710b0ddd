import type { ScheduleFireTime } from '@internal/plugin-workflows-common';

/**
 * "Mon, Mar 9, 2026, 09:00 EDT": the wall time in the schedule's zone, in
 * the reader's locale. Falls back to the server's wall time when this
 * browser does not know the zone.
 */
export function formatFireTime(
  fire: ScheduleFireTime,
  timezone: string,
): string {
  try {
    return new Intl.DateTimeFormat(undefined, {
      timeZone: timezone,
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }).format(new Date(fire.at));
  } catch {
    return fire.local;
  }
}
