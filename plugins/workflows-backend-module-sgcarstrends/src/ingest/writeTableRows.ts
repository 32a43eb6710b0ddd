import { Knex } from 'knex';
import { rowKeyOf } from './rowKey';
import { SqlDialect, sqlDialectOf } from './sqlDialect';
import { TableRow, TableSpec } from './tableSpecs';

/** SQLite's default limit of bound variables per statement. */
const SQLITE_MAX_VARIABLES = 32766;

/** What the drivers report for a write through `knex.raw`. */
interface PgWriteResult {
  rowCount: number | null;
}
interface SqliteWriteResult {
  changes: number;
}

/**
 * `ON CONFLICT` clause of the table. Without a conflict target for
 * `keep-existing`: the cars key is a NULLS NOT DISTINCT constraint on
 * PostgreSQL but an expression index on SQLite, and a bare DO NOTHING
 * covers both.
 */
function conflictClause(
  table: TableSpec,
  dialect: SqlDialect,
): { sql: string; bindings: string[] } {
  if (table.onConflict === 'keep-existing') {
    return { sql: 'ON CONFLICT DO NOTHING', bindings: [] };
  }
  const valueColumns = table.columns
    .map(column => column.name)
    .filter(name => !table.keyColumns.includes(name));
  const differs = dialect === 'postgresql' ? 'IS DISTINCT FROM' : 'IS NOT';
  return {
    // The WHERE keeps unchanged rows out of the count of updated rows.
    sql: `ON CONFLICT (${table.keyColumns
      .map(() => '??')
      .join(', ')}) DO UPDATE SET ${valueColumns
      .map(() => '?? = ??')
      .join(', ')} WHERE ${valueColumns
      .map(() => `?? ${differs} ??`)
      .join(' OR ')}`,
    bindings: [
      ...table.keyColumns,
      ...valueColumns.flatMap(name => [name, `excluded.${name}`]),
      ...valueColumns.flatMap(name => [
        `${table.name}.${name}`,
        `excluded.${name}`,
      ]),
    ],
  };
}

/** Keeps the last row per key: one statement may not update a row twice. */
function lastRowPerKey(table: TableSpec, rows: TableRow[]): TableRow[] {
  const keyOf = rowKeyOf(table);
  const byKey = new Map<string, TableRow>();
  for (const row of rows) {
    byKey.set(keyOf(row), row);
  }
  return byKey.size === rows.length ? rows : [...byKey.values()];
}

/** PostgreSQL: one array parameter per column, unnested server-side. */
async function writePostgres(
  trx: Knex.Transaction,
  table: TableSpec,
  rows: TableRow[],
): Promise<number> {
  const columns = table.columns;
  const columnArrays = columns.map(
    (_, index) =>
      // knex types array bindings without NULL elements; pg sends them as NULL.
      rows.map(row => row[index]) as Knex.Value,
  );
  const conflict = conflictClause(table, 'postgresql');
  const result: PgWriteResult = await trx.raw(
    `INSERT INTO ?? (${columns
      .map(() => '??')
      .join(', ')}) SELECT * FROM unnest(${columns
      .map(column => `?::${column.sqlType}[]`)
      .join(', ')}) ${conflict.sql}`,
    [
      table.name,
      ...columns.map(column => column.name),
      ...columnArrays,
      ...conflict.bindings,
    ],
  );
  return result.rowCount ?? 0;
}

/** SQLite: multi-row VALUES, split to stay under the variable limit. */
async function writeSqlite(
  trx: Knex.Transaction,
  table: TableSpec,
  rows: TableRow[],
): Promise<number> {
  const columns = table.columns;
  const conflict = conflictClause(table, 'sqlite');
  const rowPlaceholders = `(${columns.map(() => '?').join(', ')})`;
  const rowsPerStatement = Math.floor(SQLITE_MAX_VARIABLES / columns.length);
  let changes = 0;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const result: SqliteWriteResult = await trx.raw(
      `INSERT INTO ?? (${columns.map(() => '??').join(', ')}) VALUES ${chunk
        .map(() => rowPlaceholders)
        .join(', ')} ${conflict.sql}`,
      [
        table.name,
        ...columns.map(column => column.name),
        ...chunk.flat(),
        ...conflict.bindings,
      ],
    );
    changes += result.changes;
  }
  return changes;
}

/**
 * Writes cleaned rows with INSERT ... ON CONFLICT and returns how many rows
 * were inserted or (for `update-values` tables) changed.
 */
export async function writeTableRows(
  trx: Knex.Transaction,
  table: TableSpec,
  rows: TableRow[],
): Promise<number> {
  if (rows.length === 0) {
    return 0;
  }
  const uniqueRows =
    table.onConflict === 'update-values' ? lastRowPerKey(table, rows) : rows;
  return sqlDialectOf(trx) === 'postgresql'
    ? writePostgres(trx, table, uniqueRows)
    : writeSqlite(trx, table, uniqueRows);
}
