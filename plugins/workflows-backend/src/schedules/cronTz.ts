/** A cron expression and the zone its fields are read in. */
export interface ZonedCron {
  /** Five fields, whitespace collapsed. */
  cron: string;
  /** IANA zone; UTC when QStash's text has no prefix. */
  timezone: string;
}

const CRON_TZ_PREFIX = /^CRON_TZ=(\S*)\s+([\s\S]*)$/;

/** Reads QStash's `Upstash-Cron` form: `CRON_TZ=<zone> <fields>` or bare fields (UTC). */
export function splitCronTz(text: string): {
  cron: string;
  timezone: string | undefined;
} {
  const trimmed = text.trim();
  const prefixed = CRON_TZ_PREFIX.exec(trimmed);
  const fields = prefixed ? prefixed[2] : trimmed;
  return {
    cron: fields.trim().replace(/\s+/g, ' '),
    timezone: prefixed ? prefixed[1] : undefined,
  };
}

/** The `Upstash-Cron` text: no prefix for UTC, as QStash reads bare fields as UTC. */
export function cronWithTimezone(cron: string, timezone: string): string {
  return timezone === 'UTC' ? cron : `CRON_TZ=${timezone} ${cron}`;
}

/** QStash's text as a zoned cron; a missing prefix means UTC. */
export function readQStashCron(text: string): ZonedCron {
  const { cron, timezone } = splitCronTz(text);
  return { cron, timezone: timezone || 'UTC' };
}
