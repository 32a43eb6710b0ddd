import type { ScheduleDefinitionStore } from '../database/ScheduleDefinitionStore';
import {
  CarriedSettings,
  ScheduleDefinition,
  toGatewayDefinition,
} from '../schedules/scheduleDefinition';
import { visibleFingerprint } from '../schedules/scheduleVersion';
import type { QStashGateway, QStashSchedule } from './QStashGateway';

/**
 * Writes a whole schedule definition to QStash and records it, so that the
 * fields QStash does not return survive the next edit. Every portal write
 * of a schedule (editor, default schedules) goes through here.
 */
export class ScheduleWriter {
  constructor(
    private readonly gateway: QStashGateway,
    private readonly definitions: ScheduleDefinitionStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Returns the schedule as QStash shows it after the write. */
  async write(
    scheduleId: string,
    definition: ScheduleDefinition,
    options: { carried?: CarriedSettings; keepPaused?: boolean } = {},
  ): Promise<QStashSchedule> {
    await this.gateway.upsertSchedule(
      toGatewayDefinition(scheduleId, definition, options.carried ?? {}),
    );
    let written = await this.gateway.getSchedule(scheduleId);
    if (options.keepPaused && !written.isPaused) {
      // Re-posting a definition must not resume a paused schedule.
      await this.gateway.pauseSchedule(scheduleId);
      written = await this.gateway.getSchedule(scheduleId);
    }
    await this.definitions.put({
      ...definition,
      scheduleId,
      qstashFingerprint: visibleFingerprint(written),
      writtenAt: this.now().toISOString(),
    });
    return written;
  }

  async delete(scheduleId: string): Promise<void> {
    await this.gateway.deleteSchedule(scheduleId);
    await this.definitions.delete(scheduleId);
  }
}
