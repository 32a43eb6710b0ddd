import cronstrue from 'cronstrue';

/** The cron in words ("At 09:00, Monday through Friday"), or null when unreadable. */
export function describeCron(cron: string): string | null {
  try {
    return cronstrue.toString(cron, {
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
  } catch {
    return null;
  }
}
