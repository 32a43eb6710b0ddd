import Database from 'better-sqlite3';
import { SqliteDatabase } from './database';

// Filter combinations make the set of distinct queries finite but large; past
// this many the cache starts over rather than growing without bound.
const MAX_CACHED_STATEMENTS = 500;

/** Prepares each SQL text once and reuses the statement. */
export function statementCache(
  db: SqliteDatabase,
): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return sql => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
