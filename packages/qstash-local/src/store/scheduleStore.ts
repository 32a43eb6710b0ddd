import { SqliteDatabase } from './database';
import { statementCache } from './statementCache';

export type ScheduleTickState = 'IN_PROGRESS' | 'SUCCESS' | 'FAIL';

export interface StoredSchedule {
  scheduleId: string;
  cron: string;
  destination: string;
  /** The publish headers (lower-case) every tick is sent with. */
  headers: Record<string, string>;
  body: Buffer;
  isPaused: boolean;
  createdAt: number;
  lastScheduleTime?: number;
  nextScheduleTime?: number;
  lastScheduleStates: Record<string, ScheduleTickState>;
  callerIp: string;
}

interface ScheduleRow {
  schedule_id: string;
  cron: string;
  destination: string;
  headers: string;
  body: Buffer;
  is_paused: number;
  created_at: number;
  last_schedule_time: number | null;
  next_schedule_time: number | null;
  last_schedule_states: string;
  caller_ip: string;
}

function fromRow(row: ScheduleRow): StoredSchedule {
  return {
    scheduleId: row.schedule_id,
    cron: row.cron,
    destination: row.destination,
    headers: JSON.parse(row.headers) as Record<string, string>,
    body: row.body,
    isPaused: row.is_paused === 1,
    createdAt: row.created_at,
    lastScheduleTime: row.last_schedule_time ?? undefined,
    nextScheduleTime: row.next_schedule_time ?? undefined,
    lastScheduleStates: JSON.parse(row.last_schedule_states) as Record<
      string,
      ScheduleTickState
    >,
    callerIp: row.caller_ip,
  };
}

export class ScheduleStore {
  private readonly prepare: ReturnType<typeof statementCache>;
  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  upsert(schedule: StoredSchedule): void {
    this.prepare(
      `INSERT INTO schedules (schedule_id, cron, destination, headers, body, is_paused,
          created_at, last_schedule_time, next_schedule_time, last_schedule_states, caller_ip)
         VALUES (@scheduleId, @cron, @destination, @headers, @body, @isPaused, @createdAt,
          @lastScheduleTime, @nextScheduleTime, @lastScheduleStates, @callerIp)
         ON CONFLICT (schedule_id) DO UPDATE SET cron = excluded.cron,
          destination = excluded.destination, headers = excluded.headers,
          body = excluded.body, is_paused = excluded.is_paused,
          next_schedule_time = excluded.next_schedule_time,
          last_schedule_time = excluded.last_schedule_time,
          last_schedule_states = excluded.last_schedule_states,
          caller_ip = excluded.caller_ip`,
    ).run({
      scheduleId: schedule.scheduleId,
      cron: schedule.cron,
      destination: schedule.destination,
      headers: JSON.stringify(schedule.headers),
      body: schedule.body,
      isPaused: schedule.isPaused ? 1 : 0,
      createdAt: schedule.createdAt,
      lastScheduleTime: schedule.lastScheduleTime ?? null,
      nextScheduleTime: schedule.nextScheduleTime ?? null,
      lastScheduleStates: JSON.stringify(schedule.lastScheduleStates),
      callerIp: schedule.callerIp,
    });
  }

  get(scheduleId: string): StoredSchedule | undefined {
    const row = this.prepare(
      'SELECT * FROM schedules WHERE schedule_id = ?',
    ).get(scheduleId) as ScheduleRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  list(): StoredSchedule[] {
    const rows = this.prepare(
      'SELECT * FROM schedules ORDER BY created_at, schedule_id',
    ).all() as ScheduleRow[];
    return rows.map(fromRow);
  }

  delete(scheduleId: string): boolean {
    return (
      this.prepare('DELETE FROM schedules WHERE schedule_id = ?').run(
        scheduleId,
      ).changes === 1
    );
  }

  /** Active schedules whose next tick is at or before `at`. */
  due(at: number): StoredSchedule[] {
    const rows = this.prepare(
      `SELECT * FROM schedules WHERE is_paused = 0 AND next_schedule_time <= ?
         ORDER BY next_schedule_time`,
    ).all(at) as ScheduleRow[];
    return rows.map(fromRow);
  }

  nextTickTime(): number | undefined {
    const row = this.prepare(
      'SELECT MIN(next_schedule_time) AS next FROM schedules WHERE is_paused = 0',
    ).get() as { next: number | null };
    return row.next ?? undefined;
  }
}
