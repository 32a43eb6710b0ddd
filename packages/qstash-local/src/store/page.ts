/** One page of a newest-first listing and where the next page starts. */
export interface Page<Entry> {
  entries: Entry[];
  cursor?: string;
}

/**
 * Cuts rows read with `LIMIT count + 1` down to one page: the extra row only
 * tells that more follow, and the cursor is the key of the last row kept.
 */
export function pageOf<Row, Entry>(
  rows: Row[],
  count: number,
  toEntry: (row: Row) => Entry,
  keyOf: (row: Row) => number,
): Page<Entry> {
  const page = rows.slice(0, count);
  return {
    entries: page.map(toEntry),
    cursor:
      rows.length > count ? String(keyOf(page[page.length - 1])) : undefined,
  };
}
