import type { ScheduleFireTime } from '@internal/plugin-workflows-common';
import { cronJob } from './cronRules';
import type { ZonedCron } from './cronTz';

/** `2026-03-09T09:00:00-04:00`: the wall time in `timezone` and its offset then. */
export function wallTime(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find(p => p.type === type)?.value ?? '';
  // longOffset reads "GMT-04:00", or plain "GMT" at offset zero.
  const offset = part('timeZoneName').replace(/^GMT/, '') || '+00:00';
  return `${part('year')}-${part('month')}-${part('day')}T${part(
    'hour',
  )}:${part('minute')}:${part('second')}${offset}`;
}

/**
 * The next `count` fire times strictly after `from`, daylight saving time
 * included (croner follows Vixie cron: a time in a spring-forward gap fires
 * right after the gap, a repeated time once). Empty when the cron cannot be read.
 */
export function nextFireTimes(
  zoned: ZonedCron,
  from: Date,
  count = 5,
): ScheduleFireTime[] {
  try {
    return cronJob(zoned.cron, zoned.timezone)
      .nextRuns(count, from)
      .map(at => ({
        at: at.toISOString(),
        local: wallTime(at, zoned.timezone),
      }));
  } catch {
    return [];
  }
}
