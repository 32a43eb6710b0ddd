import { SqliteDatabase } from './database';
import { statementCache } from './statementCache';

/** Deduplication ids seen recently, with the message they produced. */
export class DedupStore {
  private readonly prepare: ReturnType<typeof statementCache>;
  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  find(key: string, now: number): string | undefined {
    const row = this.prepare(
      'SELECT message_id FROM dedup WHERE key = ? AND expires_at > ?',
    ).get(key, now) as { message_id: string } | undefined;
    return row?.message_id;
  }

  remember(key: string, messageId: string, expiresAt: number): void {
    this.prepare(
      `INSERT INTO dedup (key, message_id, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET message_id = excluded.message_id,
           expires_at = excluded.expires_at`,
    ).run(key, messageId, expiresAt);
  }

  prune(now: number): void {
    this.prepare('DELETE FROM dedup WHERE expires_at <= ?').run(now);
  }
}
