import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { DatasetId, TableIngestResult } from '../types';
import { readChecksums, storeChecksum } from './checksumStore';
import { DATASET_SOURCES, DatasetCsv, datasetZipUrl } from './datasets';
import { DEFAULT_ZIP_LIMITS, extractCsvFiles, ZipLimits } from './extractCsv';
import { fetchZip } from './fetchZip';
import { PgConnection, transactionWithConnection } from './pgTransaction';
import { readTableCsv } from './readTableCsv';
import { sqlDialectOf } from './sqlDialect';
import { createTableWriter } from './tableWriter';

/** Options of {@link ingestDataset}. */
export interface IngestDatasetOptions {
  /** The folder URL the dataset ZIPs are published under. */
  baseUrl: string;
  /** Largest ZIP download accepted, in bytes. */
  maxZipBytes: number;
  /** Caps on what the ZIP may inflate to; each defaults to DEFAULT_ZIP_LIMITS. */
  zipLimits?: Partial<ZipLimits>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /**
   * Rows per write: one INSERT and, on PostgreSQL, one COPY for the rows of
   * months not stored yet (SQLite splits further to its variable limit).
   */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 10_000;

interface ExtractedCsv extends DatasetCsv {
  csv: Uint8Array;
  checksum: string;
}

interface LoadCounts {
  rowsRead: number;
  rowsWritten: number;
}

/**
 * Streams one CSV into its table. The next batch is parsed while the
 * previous one is being written, so parsing and the database overlap.
 */
async function loadCsv(
  trx: Knex.Transaction,
  connection: PgConnection | undefined,
  file: ExtractedCsv,
  batchSize: number,
): Promise<LoadCounts> {
  const write = await createTableWriter(trx, file.table, connection);
  let rowsRead = 0;
  let rowsWritten = 0;
  let pendingWrite: Promise<number> | undefined;
  try {
    for await (const batch of readTableCsv(
      file.csv,
      file.fileName,
      file.table,
      batchSize,
    )) {
      if (pendingWrite) {
        rowsWritten += await pendingWrite;
      }
      rowsRead += batch.length;
      pendingWrite = write(batch);
      // Handled by the await above or in `finally`, never left unobserved.
      pendingWrite.catch(() => {});
    }
    if (pendingWrite) {
      rowsWritten += await pendingWrite;
      pendingWrite = undefined;
    }
  } finally {
    // A parse error must not return while a write is still in flight.
    await pendingWrite?.catch(() => {});
  }
  return { rowsRead, rowsWritten };
}

/**
 * PostgreSQL: concurrent runs of one dataset (a retry overlapping a slow
 * run) queue here, and the later one then sees the stored checksum.
 */
async function lockDataset(
  trx: Knex.Transaction,
  dataset: DatasetId,
): Promise<void> {
  if (sqlDialectOf(trx) === 'postgresql') {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
      `sgcarstrends ingest ${dataset}`,
    ]);
  }
}

function unchangedResult(file: ExtractedCsv): TableIngestResult {
  return {
    table: file.table.name,
    recordsProcessed: 0,
    checksum: file.checksum,
    message: `${file.fileName} is unchanged since the last run; nothing written to ${file.table.name}`,
  };
}

function changedResult(
  file: ExtractedCsv,
  counts: LoadCounts,
): TableIngestResult {
  return {
    table: file.table.name,
    recordsProcessed: counts.rowsWritten,
    checksum: file.checksum,
    message: `${file.fileName} changed: ${counts.rowsWritten} of its ${counts.rowsRead} rows were new or updated in ${file.table.name}`,
  };
}

/**
 * Downloads a dataset's ZIP and loads each CSV whose SHA-256 differs from the
 * stored one. All of a dataset's rows and checksums are committed in one
 * transaction: any error leaves the tables and checksums as they were, so a
 * retry starts over. Returns one result per CSV (cars: cars; coe: coe, pqp).
 */
export async function ingestDataset(
  knex: Knex,
  dataset: DatasetId,
  options: IngestDatasetOptions,
): Promise<TableIngestResult[]> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0) {
    throw new InputError(
      `batchSize must be a positive whole number, got ${batchSize}`,
    );
  }
  const source = DATASET_SOURCES[dataset];
  const zip = await fetchZip(datasetZipUrl(options.baseUrl, source), {
    maxBytes: options.maxZipBytes,
    fetch: options.fetch,
  });
  // Every CSV is extracted before anything is written: a ZIP missing one
  // of them, or over a limit, fails the whole dataset.
  const extracted = await extractCsvFiles(
    zip,
    source.csvFiles.map(file => file.fileName),
    source.zipName,
    { ...DEFAULT_ZIP_LIMITS, ...options.zipLimits },
  );
  const files: ExtractedCsv[] = source.csvFiles.map(file => {
    const { bytes, sha256 } = extracted.get(file.fileName)!;
    return { ...file, csv: bytes, checksum: sha256 };
  });
  const fileNames = files.map(file => file.fileName);

  const isStored = (stored: Map<string, string>, file: ExtractedCsv) =>
    stored.get(file.fileName) === file.checksum;
  const storedBefore = await readChecksums(knex, fileNames);
  if (files.every(file => isStored(storedBefore, file))) {
    return files.map(unchangedResult);
  }

  return transactionWithConnection(knex, async (trx, connection) => {
    await lockDataset(trx, dataset);
    // Read again under the lock: a concurrent run may have just finished.
    const stored = await readChecksums(trx, fileNames);
    const results: TableIngestResult[] = [];
    for (const file of files) {
      if (isStored(stored, file)) {
        results.push(unchangedResult(file));
        continue;
      }
      const counts = await loadCsv(trx, connection, file, batchSize);
      await storeChecksum(trx, file.fileName, file.checksum);
      results.push(changedResult(file, counts));
    }
    return results;
  });
}
