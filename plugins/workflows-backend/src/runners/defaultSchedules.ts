import { LoggerService } from '@backstage/backend-plugin-api';
import type { ScheduleDefinitionStore } from '../database/ScheduleDefinitionStore';
import type { QStashGateway } from '../qstash/QStashGateway';
import { ScheduleWriter } from '../qstash/ScheduleWriter';

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

/**
 * Creates the schedule of each runner that has none yet, and records what
 * it wrote so the schedule editor knows the fields QStash does not return.
 * An existing schedule is left alone: operators may have changed or paused it.
 */
export async function ensureDefaultSchedules(
  gateway: QStashGateway,
  schedules: DefaultSchedule[],
  logger: LoggerService,
  definitions: ScheduleDefinitionStore,
): Promise<{ created: string[]; kept: string[] }> {
  const writer = new ScheduleWriter(gateway, definitions);
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
    await writer.write(scheduleId, {
      destination: schedule.destination,
      method: 'POST',
      cron: schedule.cron,
      timezone: schedule.timezone,
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
      retries: null,
      timeoutSeconds: null,
      callback: null,
      failureCallback: null,
    });
    created.push(scheduleId);
    logger.info(
      `Created QStash schedule ${scheduleId} (${schedule.cron} ${schedule.timezone}) for runner ${schedule.runnerId}`,
    );
  }
  return { created, kept };
}
