import { Knex } from 'knex';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from './copyText';
import { PgConnection } from './pgTransaction';
import { TableRow, TableSpec } from './tableSpecs';

/** Rows per CopyData message: keeps each encoded string small. */
const ROWS_PER_CHUNK = 2000;

async function* copyChunks(rows: readonly TableRow[]): AsyncGenerator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    yield copyText(rows.slice(start, start + ROWS_PER_CHUNK));
  }
}

/**
 * PostgreSQL: writes rows with `COPY ... FROM STDIN` on `connection`, which
 * must be the connection `trx` runs on, so the rows commit or roll back with
 * the transaction. There is no ON CONFLICT: a row that breaks the unique key
 * fails the statement, and with it the transaction. Returns the rows copied.
 */
export async function copyTableRows(
  trx: Knex.Transaction,
  connection: PgConnection,
  table: TableSpec,
  rows: readonly TableRow[],
): Promise<number> {
  const columns = table.columns.map(column => column.name);
  const sql = trx
    .raw(`COPY ?? (${columns.map(() => '??').join(', ')}) FROM STDIN`, [
      table.name,
      ...columns,
    ])
    .toQuery();
  const copy = connection.query(copyFrom(sql));
  await pipeline(copyChunks(rows), copy);
  return copy.rowCount;
}
