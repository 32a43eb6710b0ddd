import { LoggerService } from '@backstage/backend-plugin-api';
import type { QStashGateway } from '../qstash/QStashGateway';

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
  gateway: QStashGateway,
  schedules: DefaultSchedule[],
  logger: LoggerService,
): Promise<{ created: string[]; kept: string[] }> {
  const created: string[] = [];
  const kept: string[] = [];
  const existing = new Set(
    (await gateway.listSchedules()).map(s => s.scheduleId),
  );
  for (const schedule of schedules) {
    const scheduleId = scheduleIdFor(schedule.runnerId);
    if (existing.has(scheduleId)) {
      kept.push(scheduleId);
      continue;
    }
    await gateway.upsertSchedule({
      scheduleId,
      destination: schedule.destination,
      cron: cronWithTimezone(schedule.cron, schedule.timezone),
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    created.push(scheduleId);
    logger.info(
      `Created QStash schedule ${scheduleId} (${schedule.cron} ${schedule.timezone}) for runner ${schedule.runnerId}`,
    );
  }
  return { created, kept };
}
