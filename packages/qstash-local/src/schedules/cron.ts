import { Cron } from 'croner';

/** A validated `Upstash-Cron` value. */
export interface CronSchedule {
  /** The text as given, e.g. `CRON_TZ=Asia/Singapore 0 9 * * *`. */
  text: string;
  timezone?: string;
  pattern: string;
}

const TZ_PREFIX = /^CRON_TZ=(\S+)\s+(.*)$/;

function isTimeZone(name: string): boolean {
  try {
    return Boolean(
      new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions(),
    );
  } catch {
    return false;
  }
}

function cronJob(pattern: string, timezone: string | undefined): Cron {
  // A job without a callback only computes times; paused keeps it from arming a timer.
  return new Cron(pattern, { mode: '5-part', timezone, paused: true });
}

/**
 * Reads an `Upstash-Cron` value: five fields (minute resolution), UTC unless
 * prefixed with `CRON_TZ=<IANA zone> `. Throws with a readable reason.
 */
export function parseCron(text: string): CronSchedule {
  const trimmed = text.trim();
  const prefixed = TZ_PREFIX.exec(trimmed);
  const timezone = prefixed?.[1];
  const pattern = (prefixed ? prefixed[2] : trimmed)
    .trim()
    .replace(/\s+/g, ' ');
  if (timezone !== undefined && !isTimeZone(timezone)) {
    throw new Error(`unknown time zone "${timezone}" in CRON_TZ`);
  }
  const fields = pattern.split(' ').filter(Boolean);
  if (fields.length !== 5) {
    throw new Error(
      `"${pattern}" has ${fields.length} fields; use 5 (minute hour day-of-month month day-of-week)`,
    );
  }
  try {
    cronJob(pattern, timezone).nextRun();
  } catch (error) {
    throw new Error(
      `"${pattern}" is not a valid cron expression: ${
        (error as Error).message
      }`,
    );
  }
  return { text: trimmed, timezone, pattern };
}

/** The first tick strictly after `after` (Unix ms), or undefined if none. */
export function nextTick(
  cron: CronSchedule,
  after: number,
): number | undefined {
  return cronJob(cron.pattern, cron.timezone)
    .nextRun(new Date(after))
    ?.getTime();
}
