import { SqliteDatabase } from './database';
import { statementCache } from './statementCache';

export interface StoredQueue {
  name: string;
  parallelism: number;
  paused: boolean;
  createdAt: number;
  updatedAt: number;
}

interface QueueRow {
  name: string;
  parallelism: number;
  paused: number;
  created_at: number;
  updated_at: number;
}

function fromRow(row: QueueRow): StoredQueue {
  return {
    name: row.name,
    parallelism: row.parallelism,
    paused: row.paused === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Queue definitions; their messages live in the messages table. */
export class QueueStore {
  private readonly prepare: ReturnType<typeof statementCache>;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  get(name: string): StoredQueue | undefined {
    const row = this.prepare('SELECT * FROM queues WHERE name = ?').get(
      name,
    ) as QueueRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  list(): StoredQueue[] {
    return (
      this.prepare('SELECT * FROM queues ORDER BY name').all() as QueueRow[]
    ).map(fromRow);
  }

  /** Creates or updates a queue; `paused` undefined keeps the current state. */
  upsert(
    name: string,
    parallelism: number,
    paused: boolean | undefined,
    now: number,
  ): void {
    this.prepare(
      `INSERT INTO queues (name, parallelism, paused, created_at, updated_at)
         VALUES (@name, @parallelism, COALESCE(@paused, 0), @now, @now)
         ON CONFLICT (name) DO UPDATE SET parallelism = excluded.parallelism,
           paused = COALESCE(@paused, paused), updated_at = excluded.updated_at`,
    ).run({
      name,
      parallelism,
      paused: paused === undefined ? null : Number(paused),
      now,
    });
  }

  setPaused(name: string, paused: boolean, now: number): boolean {
    return (
      this.prepare(
        'UPDATE queues SET paused = ?, updated_at = ? WHERE name = ?',
      ).run(paused ? 1 : 0, now, name).changes === 1
    );
  }

  delete(name: string): boolean {
    return (
      this.prepare('DELETE FROM queues WHERE name = ?').run(name).changes === 1
    );
  }

  /**
   * The next position in the queue's FIFO order; creates the queue with
   * parallelism 1 when it does not exist, as enqueueing does in QStash.
   */
  nextSeq(name: string, now: number): number {
    const row = this.prepare(
      `INSERT INTO queues (name, parallelism, created_at, updated_at, last_seq)
         VALUES (?, 1, ?, ?, 1)
         ON CONFLICT (name) DO UPDATE SET last_seq = last_seq + 1
         RETURNING last_seq`,
    ).get(name, now, now) as { last_seq: number };
    return row.last_seq;
  }

  /** Queues that are not paused and hold at least one message. */
  deliverable(): Array<{ name: string; parallelism: number }> {
    return this.prepare(
      `SELECT q.name, q.parallelism FROM queues q WHERE q.paused = 0
         AND EXISTS (SELECT 1 FROM messages m WHERE m.queue_name = q.name)`,
    ).all() as Array<{ name: string; parallelism: number }>;
  }
}
