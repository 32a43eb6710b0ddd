/**
 * Whether a failed insert hit a primary key or unique constraint, on
 * PostgreSQL (SQLSTATE 23505) or SQLite (better-sqlite3 and sqlite3).
 */
export function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (code === '23505') return true;
  if (
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  ) {
    return true;
  }
  // node-sqlite3 reports only the generic SQLITE_CONSTRAINT code.
  return (
    code === 'SQLITE_CONSTRAINT' &&
    typeof message === 'string' &&
    message.includes('UNIQUE constraint failed')
  );
}
