import { Knex } from 'knex';
import { copyTableRows } from './copyTableRows';
import { PgConnection } from './pgTransaction';
import { rowKeyOf } from './rowKey';
import { MONTH_COLUMN, readStoredMonths } from './storedMonths';
import { CellValue, TableRow, TableSpec } from './tableSpecs';
import { writeTableRows } from './writeTableRows';

/** Writes one batch of a CSV's rows; returns the rows inserted or changed. */
export type TableWriter = (rows: TableRow[]) => Promise<number>;

/**
 * The writer for one CSV, made inside the ingest transaction after the
 * dataset's advisory lock was taken.
 *
 * On PostgreSQL, for tables that keep stored rows and whose key starts with
 * the month, rows of a month the table did not hold when the file started
 * cannot meet a stored row: they are de-duplicated here (first row per key
 * wins, as ON CONFLICT DO NOTHING would) and written with COPY, which skips
 * the per-row conflict check. Rows of stored months keep INSERT ... ON
 * CONFLICT. The unique key stays enforced: a COPY row that still collided
 * would fail the transaction and write nothing. Under the lock that cannot
 * happen: every ingest of the dataset takes the same lock, the months were
 * read after it was granted (so any earlier run's commit is visible), and
 * each key is copied at most once. Only a writer bypassing the lock could
 * collide, and its rows then make the month "stored" for the retry.
 *
 * Everything else (SQLite, PQP's update-on-change, which needs the last row
 * per key of the whole file) uses {@link writeTableRows} alone.
 */
export async function createTableWriter(
  trx: Knex.Transaction,
  table: TableSpec,
  connection: PgConnection | undefined,
): Promise<TableWriter> {
  const monthIndex = table.columns.findIndex(
    column => column.name === MONTH_COLUMN,
  );
  if (
    !connection ||
    table.onConflict !== 'keep-existing' ||
    table.keyColumns[0] !== MONTH_COLUMN
  ) {
    return rows => writeTableRows(trx, table, rows);
  }

  // Read once, before this run writes: a month first copied by an earlier
  // batch of the file still counts as new for the later batches.
  const storedMonths: ReadonlySet<CellValue> = await readStoredMonths(
    trx,
    table.name,
  );
  // The copied keys, per month: many small sets are cheaper to fill than
  // one holding every row of the file.
  const restOfKey = rowKeyOf(table, table.keyColumns.slice(1));
  const copiedKeys = new Map<CellValue, Set<string>>();

  return async rows => {
    const storedMonthRows: TableRow[] = [];
    const newRows: TableRow[] = [];
    for (const row of rows) {
      const month = row[monthIndex];
      if (storedMonths.has(month)) {
        storedMonthRows.push(row);
        continue;
      }
      let monthKeys = copiedKeys.get(month);
      if (!monthKeys) {
        monthKeys = new Set();
        copiedKeys.set(month, monthKeys);
      }
      const key = restOfKey(row);
      if (!monthKeys.has(key)) {
        monthKeys.add(key);
        newRows.push(row);
      }
    }
    let written = 0;
    if (storedMonthRows.length > 0) {
      written += await writeTableRows(trx, table, storedMonthRows);
    }
    if (newRows.length > 0) {
      written += await copyTableRows(trx, connection, table, newRows);
    }
    return written;
  };
}
