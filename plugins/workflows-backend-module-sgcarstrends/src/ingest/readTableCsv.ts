import { InputError } from '@backstage/errors';
import { CsvError, Info, parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { FieldValueError } from './csvFieldParsers';
import { TableRow, TableSpec } from './tableSpecs';

/** Bytes handed to the parser at a time, so it never holds every record. */
const INPUT_CHUNK_BYTES = 64 * 1024;

interface ParsedRecord {
  record: string[];
  info: Info;
}

function* chunksOf(bytes: Uint8Array): Generator<Buffer> {
  for (let start = 0; start < bytes.length; start += INPUT_CHUNK_BYTES) {
    const end = Math.min(start + INPUT_CHUNK_BYTES, bytes.length);
    yield Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
  }
}

/** Where each of the table's columns sits in the CSV header. */
function locateColumns(
  header: string[],
  fileName: string,
  table: TableSpec,
): number[] {
  const names = header.map(name => name.trim());
  return table.columns.map(column => {
    const index = names.indexOf(column.name);
    if (index < 0) {
      throw new InputError(
        `${fileName} line 1: missing column "${column.name}"; the header has ${names
          .filter(Boolean)
          .join(', ')}`,
      );
    }
    return index;
  });
}

/**
 * Streams a CSV and yields its rows cleaned for `table`, `batchSize` at a
 * time. Columns are found by header name; columns the table does not use
 * (the empty trailing ones of the PQP file) are ignored. The first bad row
 * throws an InputError naming the file, line and column.
 */
export async function* readTableCsv(
  csv: Uint8Array,
  fileName: string,
  table: TableSpec,
  batchSize: number,
): AsyncGenerator<TableRow[]> {
  const parser = Readable.from(chunksOf(csv)).pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // PQP lines carry 3 or 13 fields; short rows are reported per column below.
      relax_column_count: true,
      info: true,
    }),
  );

  let columnIndexes: number[] | undefined;
  let batch: TableRow[] = [];
  let rowsRead = 0;
  const columns = table.columns;
  try {
    for await (const { record, info } of parser as AsyncIterable<ParsedRecord>) {
      if (!columnIndexes) {
        columnIndexes = locateColumns(record, fileName, table);
        continue;
      }
      const row: TableRow = new Array(columns.length);
      for (let i = 0; i < columns.length; i++) {
        const raw = record[columnIndexes[i]];
        if (raw === undefined) {
          throw new InputError(
            `${fileName} line ${info.lines}, column "${columns[i].name}": the value is missing (the line has ${record.length} fields)`,
          );
        }
        try {
          row[i] = columns[i].parse(raw);
        } catch (error) {
          if (error instanceof FieldValueError) {
            throw new InputError(
              `${fileName} line ${info.lines}, column "${columns[i].name}": ${error.message}`,
            );
          }
          throw error;
        }
      }
      batch.push(row);
      rowsRead++;
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw new InputError(
        `${fileName} line ${error.lines}: ${error.message}`,
      );
    }
    throw error;
  } finally {
    parser.destroy();
  }

  if (!columnIndexes) {
    throw new InputError(
      `${fileName} is empty: expected a header with ${columns
        .map(column => column.name)
        .join(', ')}`,
    );
  }
  if (rowsRead === 0) {
    throw new InputError(`${fileName} has a header but no data rows`);
  }
  if (batch.length > 0) {
    yield batch;
  }
}
