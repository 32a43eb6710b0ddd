import type { ScheduleDefinitionPatch } from '@internal/plugin-workflows-common';
import { checkCron, checkTimezone } from './cronRules';
import { splitCronTz } from './cronTz';
import { fieldError } from './fieldError';

/**
 * The checks the request schema cannot make, run before anything reaches
 * QStash: the cron (its CRON_TZ prefix read as the zone), the zone, and
 * header names that differ only in case. `prefix` names the body path
 * (`definition.` in a preview). Returns the patch with the cron normalised.
 */
export function validateSchedulePatch<T extends ScheduleDefinitionPatch>(
  patch: T,
  prefix = '',
): T {
  const result: T = { ...patch };
  if (patch.cron !== undefined) {
    const split = splitCronTz(patch.cron);
    if (split.timezone !== undefined) {
      if (!split.timezone) {
        throw fieldError(`${prefix}cron`, 'CRON_TZ= needs a zone name');
      }
      if (patch.timezone !== undefined && patch.timezone !== split.timezone) {
        throw fieldError(
          `${prefix}cron`,
          `CRON_TZ=${split.timezone} differs from timezone "${patch.timezone}"`,
        );
      }
      checkTimezone(split.timezone, `${prefix}cron`);
      result.timezone = split.timezone;
    }
    result.cron = split.cron;
  }
  if (patch.timezone !== undefined) {
    checkTimezone(patch.timezone, `${prefix}timezone`);
  }
  if (result.cron !== undefined) {
    // Whether fields are valid does not depend on the zone; UTC stands in for a kept one.
    result.cron = checkCron(
      result.cron,
      result.timezone ?? 'UTC',
      `${prefix}cron`,
    );
  }
  if (patch.headers) {
    const seen = new Map<string, string>();
    for (const name of Object.keys(patch.headers)) {
      const other = seen.get(name.toLowerCase());
      if (other !== undefined) {
        throw fieldError(
          `${prefix}headers`,
          `"${other}" and "${name}" are the same header`,
        );
      }
      seen.set(name.toLowerCase(), name);
    }
  }
  return result;
}
