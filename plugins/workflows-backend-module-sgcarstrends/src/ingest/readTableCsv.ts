import { InputError } from '@backstage/errors';
import { CsvError, InfoRecord, Options, parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { setImmediate as nextEventLoopTurn } from 'node:timers/promises';
import { FieldValueError } from './csvFieldParsers';
import { TableRow, TableSpec } from './tableSpecs';

/**
 * Bytes handed to the parser at a time, so it never holds every record and
 * the event loop turns every few milliseconds (64 KiB took 20 ms and more
 * to parse and clean on a busy machine).
 */
const INPUT_CHUNK_BYTES = 16 * 1024;

/**
 * The CSV in chunks, each after a turn of the event loop. Without the turn
 * the parser runs through many chunks on promise callbacks alone, and a
 * write in flight meanwhile (a COPY still being sent, a reply waiting on
 * the socket) stalls until it stops; with it, parsing and writing overlap.
 */
async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += INPUT_CHUNK_BYTES) {
    await nextEventLoopTurn();
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
        `${fileName} line 1: missing column "${
          column.name
        }"; the header has ${names.filter(Boolean).join(', ')}`,
      );
    }
    return index;
  });
}

/** Turns parsed records into cleaned rows, collected into batches. */
class RowCleaner {
  private columnIndexes: number[] | undefined;
  private header: string[] | undefined;
  private batch: TableRow[] = [];
  rowsRead = 0;
  /** Where the last whole record ended, to place an error in the next one. */
  private lastRecordLine = 0;
  private emptyLinesBeforeLastRecord = 0;

  constructor(
    private readonly fileName: string,
    private readonly table: TableSpec,
    private readonly batchSize: number,
  ) {}

  get sawHeader(): boolean {
    return this.columnIndexes !== undefined;
  }

  /** Cleans one record; returns a full batch when one is ready. */
  add(record: string[], info: InfoRecord): TableRow[] | undefined {
    const line = info.lines;
    this.lastRecordLine = line;
    this.emptyLinesBeforeLastRecord = info.empty_lines;
    const columnIndexes = this.columnIndexes;
    if (!columnIndexes) {
      this.header = record.map(name => name.trim());
      this.columnIndexes = locateColumns(record, this.fileName, this.table);
      return undefined;
    }
    const columns = this.table.columns;
    const row: TableRow = new Array(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const raw = record[columnIndexes[i]];
      if (raw === undefined) {
        throw new InputError(
          `${this.fileName} line ${line}, column "${columns[i].name}": the value is missing (the line has ${record.length} fields)`,
        );
      }
      try {
        row[i] = columns[i].parse(raw);
      } catch (error) {
        if (error instanceof FieldValueError) {
          throw new InputError(
            `${this.fileName} line ${line}, column "${columns[i].name}": ${error.message}`,
          );
        }
        throw error;
      }
    }
    this.batch.push(row);
    this.rowsRead++;
    if (this.batch.length < this.batchSize) {
      return undefined;
    }
    return this.takeBatch();
  }

  /**
   * The error for a quote still open at the end of the file. csv-parse
   * reports the last line, often far from the quote (and it counts each CRLF
   * inside quotes twice), so this names the line the unfinished record
   * starts on: the line of the opening quote, unless an earlier value of the
   * same record spans lines. Skipped empty lines in between are counted.
   */
  unclosedQuoteError(error: CsvError): InputError {
    const emptyLines = Number(error.empty_lines) || 0;
    const startLine =
      this.lastRecordLine + 1 + (emptyLines - this.emptyLinesBeforeLastRecord);
    // Undefined while the header itself is the unfinished record.
    const columnName = this.header?.[Number(error.index)];
    const column = columnName ? `, column "${columnName}"` : '';
    return new InputError(
      `${this.fileName} line ${startLine}${column}: a quote opens a value that is never closed before the end of the file`,
    );
  }

  takeBatch(): TableRow[] {
    const batch = this.batch;
    this.batch = [];
    return batch;
  }
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
  const cleaner = new RowCleaner(fileName, table, batchSize);
  const options: Options<TableRow[], string[]> = {
    bom: true,
    trim: true,
    skip_empty_lines: true,
    // PQP lines carry 3 or 13 fields; short rows are reported per column.
    relax_column_count: true,
    // Cleaning runs inside the parser and only whole batches are emitted:
    // far cheaper than one stream object per record.
    on_record: (record, context) => cleaner.add(record, context),
  };
  // The typings of parse() without `columns` expect on_record to return a
  // record; ours returns batches, which is what the stream then yields.
  const parser = Readable.from(chunksOf(csv)).pipe(
    parse(options as unknown as Options),
  );

  try {
    for await (const batch of parser as AsyncIterable<TableRow[]>) {
      yield batch;
    }
  } catch (error) {
    if (error instanceof CsvError) {
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
        throw cleaner.unclosedQuoteError(error);
      }
      throw new InputError(`${fileName} line ${error.lines}: ${error.message}`);
    }
    throw error;
  } finally {
    parser.destroy();
  }

  if (!cleaner.sawHeader) {
    throw new InputError(
      `${fileName} is empty: expected a header with ${table.columns
        .map(column => column.name)
        .join(', ')}`,
    );
  }
  if (cleaner.rowsRead === 0) {
    throw new InputError(`${fileName} has a header but no data rows`);
  }
  const lastBatch = cleaner.takeBatch();
  if (lastBatch.length > 0) {
    yield lastBatch;
  }
}
