import { Knex } from 'knex';

/** The two engines the module supports. */
export type SqlDialect = 'postgresql' | 'sqlite';

/** Which engine `knex` talks to; anything else is refused up front. */
export function sqlDialectOf(knex: Knex): SqlDialect {
  // knex types `client` loosely; `dialect` is set by every built-in client.
  const dialect: unknown = knex.client.dialect;
  if (dialect === 'postgresql') {
    return 'postgresql';
  }
  if (dialect === 'sqlite3' || dialect === 'better-sqlite3') {
    return 'sqlite';
  }
  throw new Error(
    `The sgcarstrends tables support PostgreSQL and SQLite, not ${String(
      dialect,
    )}`,
  );
}
