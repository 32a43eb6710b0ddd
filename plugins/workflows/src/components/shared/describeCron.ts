import cronstrue from 'cronstrue';

/** A sentence for a cron expression, or undefined when cronstrue cannot read it. */
export function describeCron(cron: string): string | undefined {
  try {
    return cronstrue.toString(cron, { use24HourTimeFormat: true });
  } catch {
    return undefined;
  }
}
