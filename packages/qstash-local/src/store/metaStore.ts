import { SqliteDatabase } from './database';
import { statementCache } from './statementCache';

/** Small named values that must survive restarts (token, signing keys). */
export class MetaStore {
  private readonly prepare: ReturnType<typeof statementCache>;
  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  get(key: string): string | undefined {
    const row = this.prepare('SELECT value FROM meta WHERE key = ?').get(
      key,
    ) as { value: string } | undefined;
    return row?.value;
  }

  set(key: string, value: string): void {
    this.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }
}
