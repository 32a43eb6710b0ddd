import { SqliteDatabase } from './database';

/** Deduplication ids seen recently, with the message they produced. */
export class DedupStore {
  constructor(private readonly db: SqliteDatabase) {}

  find(key: string, now: number): string | undefined {
    const row = this.db
      .prepare('SELECT message_id FROM dedup WHERE key = ? AND expires_at > ?')
      .get(key, now) as { message_id: string } | undefined;
    return row?.message_id;
  }

  remember(key: string, messageId: string, expiresAt: number): void {
    this.db
      .prepare(
        `INSERT INTO dedup (key, message_id, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET message_id = excluded.message_id,
           expires_at = excluded.expires_at`,
      )
      .run(key, messageId, expiresAt);
  }

  prune(now: number): void {
    this.db.prepare('DELETE FROM dedup WHERE expires_at <= ?').run(now);
  }
}
