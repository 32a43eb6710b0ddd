import { Knex } from 'knex';

/** Every table written by COPY has this column first in its unique key. */
export const MONTH_COLUMN = 'month';

/**
 * The distinct months stored in a PostgreSQL table. A loose index scan on
 * the unique index (which starts with the month): one index probe per month
 * instead of reading every row.
 */
export async function readStoredMonths(
  trx: Knex.Transaction,
  tableName: string,
): Promise<Set<string>> {
  const result: { rows: Array<{ month: string }> } = await trx.raw(
    `WITH RECURSIVE months (month) AS (
       (SELECT ?? FROM ?? ORDER BY 1 LIMIT 1)
       UNION ALL
       SELECT (SELECT t.?? FROM ?? t WHERE t.?? > months.month ORDER BY 1 LIMIT 1)
       FROM months WHERE months.month IS NOT NULL
     )
     SELECT month FROM months WHERE month IS NOT NULL`,
    [MONTH_COLUMN, tableName, MONTH_COLUMN, tableName, MONTH_COLUMN],
  );
  return new Set(result.rows.map(row => row.month));
}
