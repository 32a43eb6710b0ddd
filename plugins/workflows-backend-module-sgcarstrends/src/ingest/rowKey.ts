import { TableRow, TableSpec } from './tableSpecs';

/**
 * A function giving each row the text of its values in `columns` (by
 * default the unique key): two rows get the same text exactly when those
 * values are equal, NULL equal to NULL (as the cars key is NULLS NOT
 * DISTINCT).
 */
export function rowKeyOf(
  table: TableSpec,
  columns: readonly string[] = table.keyColumns,
): (row: TableRow) => string {
  const keyIndexes = columns.map(name => {
    const index = table.columns.findIndex(column => column.name === name);
    if (index < 0) {
      throw new Error(`${table.name} has no key column ${name}`);
    }
    return index;
  });
  // JSON keeps null, numbers and any text apart without a separator that
  // a value could contain.
  return row => JSON.stringify(keyIndexes.map(index => row[index]));
}
