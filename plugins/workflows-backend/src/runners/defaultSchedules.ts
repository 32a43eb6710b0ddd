import { LoggerService } from '@backstage/backend-plugin-api';
import { Client } from '@upstash/qstash';
import { QStashConnection } from './qstashConnection';

export interface DefaultSchedule {
  runnerId: string;
  destination: string;
  cron: string;
  timezone: string;
}

/** Stable schedule ids: a redeploy finds its schedule instead of adding another. */
export function scheduleIdFor(runnerId: string): string {
  return `workflows-${runnerId}`;
}

export function cronWithTimezone(cron: string, timezone: string): string {
  return timezone === 'UTC' ? cron : `CRON_TZ=${timezone} ${cron}`;
}

/**
 * Creates the schedule of each runner that has none yet. An existing schedule
 * is left alone: operators may have changed or paused it.
 */
export async function ensureDefaultSchedules(
  connection: QStashConnection,
  schedules: DefaultSchedule[],
  logger: LoggerService,
): Promise<{ created: string[]; kept: string[] }> {
  const client = new Client({
    baseUrl: connection.url,
    token: connection.token,
  });
  const created: string[] = [];
  const kept: string[] = [];
  const existing = new Set(
    (await client.schedules.list()).map(s => s.scheduleId),
  );
  for (const schedule of schedules) {
    const scheduleId = scheduleIdFor(schedule.runnerId);
    if (existing.has(scheduleId)) {
      kept.push(scheduleId);
      continue;
    }
    await client.schedules.create({
      scheduleId,
      destination: schedule.destination,
      cron: cronWithTimezone(schedule.cron, schedule.timezone),
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    created.push(scheduleId);
    logger.info(
      `Created QStash schedule ${scheduleId} (${schedule.cron} ${schedule.timezone}) for runner ${schedule.runnerId}`,
    );
  }
  return { created, kept };
}
