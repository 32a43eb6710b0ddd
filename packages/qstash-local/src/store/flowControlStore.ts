import { SqliteDatabase } from './database';
import { statementCache } from './statementCache';

/** The limits and counters of one flow-control key. */
export interface StoredFlowKey {
  key: string;
  parallelism?: number;
  rate?: number;
  periodSeconds: number;
  pinnedParallelism: boolean;
  pinnedRate: boolean;
  paused: boolean;
  /** Attempts started in the rate period that began at `ratePeriodStart`. */
  rateCount: number;
  /** Unix ms; 0 before the first attempt. */
  ratePeriodStart: number;
  createdAt: number;
}

interface FlowKeyRow {
  flow_key: string;
  parallelism: number | null;
  rate: number | null;
  period_seconds: number;
  pinned_parallelism: number;
  pinned_rate: number;
  paused: number;
  rate_count: number;
  rate_period_start: number;
  created_at: number;
}

function fromRow(row: FlowKeyRow): StoredFlowKey {
  return {
    key: row.flow_key,
    parallelism: row.parallelism ?? undefined,
    rate: row.rate ?? undefined,
    periodSeconds: row.period_seconds,
    pinnedParallelism: row.pinned_parallelism === 1,
    pinnedRate: row.pinned_rate === 1,
    paused: row.paused === 1,
    rateCount: row.rate_count,
    ratePeriodStart: row.rate_period_start,
    createdAt: row.created_at,
  };
}

export class FlowControlStore {
  private readonly prepare: ReturnType<typeof statementCache>;
  private readonly getStatement;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
    this.getStatement = this.prepare(
      'SELECT * FROM flow_control_keys WHERE flow_key = ?',
    );
  }

  get(key: string): StoredFlowKey | undefined {
    const row = this.getStatement.get(key) as FlowKeyRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  list(): StoredFlowKey[] {
    return (
      this.prepare(
        'SELECT * FROM flow_control_keys ORDER BY flow_key',
      ).all() as FlowKeyRow[]
    ).map(fromRow);
  }

  /**
   * Takes the settings a new message brings, except the pinned ones: the
   * latest message decides, as in QStash.
   */
  noteSettings(
    key: string,
    settings: { parallelism?: number; rate?: number; periodSeconds?: number },
    now: number,
  ): void {
    this.prepare(
      `INSERT INTO flow_control_keys (flow_key, parallelism, rate, period_seconds, created_at)
         VALUES (@key, @parallelism, @rate, @period, @now)
         ON CONFLICT (flow_key) DO UPDATE SET
           parallelism = CASE WHEN pinned_parallelism = 1 THEN parallelism
             ELSE excluded.parallelism END,
           rate = CASE WHEN pinned_rate = 1 THEN rate ELSE excluded.rate END,
           period_seconds = CASE WHEN pinned_rate = 1 THEN period_seconds
             ELSE excluded.period_seconds END`,
    ).run({
      key,
      parallelism: settings.parallelism ?? null,
      rate: settings.rate ?? null,
      period: settings.periodSeconds ?? 1,
      now,
    });
  }

  save(flowKey: StoredFlowKey): void {
    this.prepare(
      `UPDATE flow_control_keys SET parallelism = @parallelism, rate = @rate,
         period_seconds = @period, pinned_parallelism = @pinnedParallelism,
         pinned_rate = @pinnedRate, paused = @paused, rate_count = @rateCount,
         rate_period_start = @ratePeriodStart
         WHERE flow_key = @key`,
    ).run({
      key: flowKey.key,
      parallelism: flowKey.parallelism ?? null,
      rate: flowKey.rate ?? null,
      period: flowKey.periodSeconds,
      pinnedParallelism: flowKey.pinnedParallelism ? 1 : 0,
      pinnedRate: flowKey.pinnedRate ? 1 : 0,
      paused: flowKey.paused ? 1 : 0,
      rateCount: flowKey.rateCount,
      ratePeriodStart: flowKey.ratePeriodStart,
    });
  }

  /** Counts one started attempt against the key's rate. */
  countStart(key: string, at: number): void {
    this.prepare(
      `UPDATE flow_control_keys SET
         rate_count = CASE WHEN @at >= rate_period_start + period_seconds * 1000
           THEN 1 ELSE rate_count + 1 END,
         rate_period_start = CASE WHEN @at >= rate_period_start + period_seconds * 1000
           THEN @at ELSE rate_period_start END
         WHERE flow_key = @key AND rate IS NOT NULL`,
    ).run({ key, at });
  }

  /** Keys that are not paused and have messages outside queues waiting. */
  withWaitingMessages(): string[] {
    return (
      this.prepare(
        `SELECT k.flow_key FROM flow_control_keys k WHERE k.paused = 0
           AND EXISTS (SELECT 1 FROM messages m WHERE m.flow_control_key = k.flow_key
             AND m.state = 'pending')`,
      ).all() as Array<{ flow_key: string }>
    ).map(row => row.flow_key);
  }
}
