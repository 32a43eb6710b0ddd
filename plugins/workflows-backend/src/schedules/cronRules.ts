import { Cron } from 'croner';
import { fieldError } from './fieldError';

const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];

const MONTH_AND_DAY_NAMES =
  /JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT/gi;

/** What standard cron reads; croner also takes L, W and #, which QStash may not. */
const PLAIN_FIELD = /^[0-9*?,/-]+$/;

/** IANA names (Area/Location, UTC, Etc/GMT+5); offsets such as +05:00 are not zones. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** A croner job that only computes times: paused, it never arms a timer. */
export function cronJob(cron: string, timezone: string): Cron {
  return new Cron(cron, { mode: '5-part', timezone, paused: true });
}

/** Throws a 400 naming `field` unless QStash would know the zone. */
export function checkTimezone(timezone: string, field: string): void {
  if (!ZONE_NAME.test(timezone)) {
    throw fieldError(
      field,
      `"${timezone}" is not a time zone name such as UTC or Asia/Singapore`,
    );
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
    }).resolvedOptions().timeZone;
  } catch {
    throw fieldError(field, `unknown time zone "${timezone}"`);
  }
  if (
    resolved !== timezone &&
    resolved.toLowerCase() === timezone.toLowerCase()
  ) {
    // Intl forgives the case; QStash looks the name up as written.
    throw fieldError(
      field,
      `time zone names are case-sensitive: use "${resolved}"`,
    );
  }
}

/**
 * Throws a 400 naming `field` unless QStash would accept the expression:
 * five fields, at most once a minute, standard syntax, firing at all.
 * Returns it with whitespace collapsed.
 */
export function checkCron(
  cron: string,
  timezone: string,
  field: string,
): string {
  const fields = cron.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 6 || fields.length === 7) {
    // A leading seconds field: a single second fires once a minute, anything else more often.
    if (!/^\d{1,2}$/.test(fields[0])) {
      throw fieldError(
        field,
        `"${cron}" fires more than once a minute; QStash fires a schedule at most once a minute`,
      );
    }
    throw fieldError(
      field,
      `"${cron}" has ${fields.length} fields; QStash takes five (minute hour day-of-month month day-of-week), without seconds`,
    );
  }
  if (fields.length !== 5) {
    throw fieldError(
      field,
      `"${cron}" has ${fields.length} field${
        fields.length === 1 ? '' : 's'
      }; QStash takes five (minute hour day-of-month month day-of-week)`,
    );
  }
  fields.forEach((value, index) => {
    if (!PLAIN_FIELD.test(value.replace(MONTH_AND_DAY_NAMES, '0'))) {
      throw fieldError(
        field,
        `"${value}" (${FIELD_NAMES[index]}) is not standard cron: use numbers, names, *, ",", "-" and "/"`,
      );
    }
  });
  const normalized = fields.join(' ');
  let next: Date | null;
  try {
    next = cronJob(normalized, timezone).nextRun();
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern:\s*/, '');
    throw fieldError(
      field,
      `"${cron}" is not a valid cron expression: ${reason}`,
    );
  }
  if (!next) {
    throw fieldError(field, `"${cron}" never fires`);
  }
  return normalized;
}
