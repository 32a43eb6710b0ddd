import { Knex } from 'knex';
import type { StoredScheduleDefinition } from '../schedules/scheduleDefinition';
import { toIso } from './timestamps';

/** The definitions the portal last wrote to QStash, by schedule id. */
export interface ScheduleDefinitionStore {
  get(scheduleId: string): Promise<StoredScheduleDefinition | undefined>;
  getMany(
    scheduleIds: string[],
  ): Promise<Map<string, StoredScheduleDefinition>>;
  /** Replaces the schedule's stored definition. */
  put(definition: StoredScheduleDefinition): Promise<void>;
  delete(scheduleId: string): Promise<void>;
}

interface ScheduleDefinitionRow {
  schedule_id: string;
  destination: string;
  method: string;
  cron: string;
  timezone: string;
  body: string | null;
  headers: string;
  retries: number | null;
  timeout_seconds: number | null;
  callback: string | null;
  failure_callback: string | null;
  qstash_fingerprint: string;
  written_at: Date | string | number;
}

const TABLE = 'workflow_schedule_definitions';

function toDefinition(row: ScheduleDefinitionRow): StoredScheduleDefinition {
  return {
    scheduleId: row.schedule_id,
    destination: row.destination,
    method: row.method,
    cron: row.cron,
    timezone: row.timezone,
    body: row.body,
    headers: JSON.parse(row.headers) as Record<string, string>,
    retries: row.retries === null ? null : Number(row.retries),
    timeoutSeconds:
      row.timeout_seconds === null ? null : Number(row.timeout_seconds),
    callback: row.callback,
    failureCallback: row.failure_callback,
    qstashFingerprint: row.qstash_fingerprint,
    writtenAt: toIso(row.written_at),
  };
}

function toRow(definition: StoredScheduleDefinition): ScheduleDefinitionRow {
  return {
    schedule_id: definition.scheduleId,
    destination: definition.destination,
    method: definition.method,
    cron: definition.cron,
    timezone: definition.timezone,
    body: definition.body,
    headers: JSON.stringify(definition.headers),
    retries: definition.retries,
    timeout_seconds: definition.timeoutSeconds,
    callback: definition.callback,
    failure_callback: definition.failureCallback,
    qstash_fingerprint: definition.qstashFingerprint,
    written_at: new Date(definition.writtenAt),
  };
}

/** The `workflow_schedule_definitions` table. */
export class KnexScheduleDefinitionStore implements ScheduleDefinitionStore {
  constructor(private readonly db: Knex) {}

  async get(scheduleId: string) {
    const row = await this.db<ScheduleDefinitionRow>(TABLE)
      .where({ schedule_id: scheduleId })
      .first();
    return row ? toDefinition(row) : undefined;
  }

  async getMany(scheduleIds: string[]) {
    const result = new Map<string, StoredScheduleDefinition>();
    if (scheduleIds.length === 0) return result;
    // Chunks keep the IN list under SQLite's bound-parameter limit.
    for (let i = 0; i < scheduleIds.length; i += 500) {
      const rows = await this.db<ScheduleDefinitionRow>(TABLE).whereIn(
        'schedule_id',
        scheduleIds.slice(i, i + 500),
      );
      for (const row of rows) result.set(row.schedule_id, toDefinition(row));
    }
    return result;
  }

  async put(definition: StoredScheduleDefinition) {
    const row = toRow(definition);
    await this.db<ScheduleDefinitionRow>(TABLE)
      .insert(row)
      .onConflict('schedule_id')
      .merge();
  }

  async delete(scheduleId: string) {
    await this.db<ScheduleDefinitionRow>(TABLE)
      .where({ schedule_id: scheduleId })
      .delete();
  }
}
