import { CustomErrorBase, InputError } from '@backstage/errors';
import {
  AsyncFlateStreamHandler,
  Unzip,
  UnzipDecoder,
  UnzipFile,
  unzipSync,
} from 'fflate';
import { createHash, Hash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextEventLoopTurn } from 'node:timers/promises';
import { createInflateRaw } from 'node:zlib';

const MIB = 1024 * 1024;
/** Entries a ZIP may list; the real ones list one or two. */
export const MAX_LISTED_ENTRIES = 10_000;

/** Caps on what extracting the CSVs of one ZIP may inflate. */
export interface ZipLimits {
  /** Largest uncompressed size of one extracted entry, in bytes. */
  maxEntryBytes: number;
  /** Largest uncompressed total of the entries extracted from one ZIP, in bytes. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed size ratio of one extracted entry. */
  maxCompressionRatio: number;
}

/**
 * Sized on the real files in ../shared/fixtures/lta (2023 snapshots),
 * deflated at levels 1, 6 and 9:
 * - M03-Car_Regn_by_make.csv: 1,746,298 bytes (1.7 MiB, 38,013 rows), ratio
 *   9.5 to 11.3; it grows by about 5,000 rows (230 KB) a year;
 * - M11-coe_results.csv: 62,886 bytes, ratio 3.1 to 3.3;
 * - M11-coe_results_pqp.csv: 22,422 bytes, ratio 4.9 to 5.5.
 * 64 MiB is 38 times the cars file, 128 MiB twice that for a ZIP of two
 * CSVs, and a ratio of 100 is 9 times the cars file's; a run of zeros
 * deflates about 1,000 times.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 64 * MIB,
  maxTotalBytes: 128 * MIB,
  maxCompressionRatio: 100,
};

/**
 * The ratio cap applies once an entry has inflated this much: a short file
 * can compress unusually well and is harmless whatever its ratio.
 */
export const RATIO_CHECK_FLOOR_BYTES = MIB;

/** The configuration key of each limit, named in errors. */
const LIMIT_KEYS: Record<keyof ZipLimits, string> = {
  maxEntryBytes: 'workflows.sgcarstrends.source.maxEntryMegabytes',
  maxTotalBytes: 'workflows.sgcarstrends.source.maxTotalMegabytes',
  maxCompressionRatio: 'workflows.sgcarstrends.source.maxCompressionRatio',
};

/**
 * ZIP bytes the unzip stream frames between two turns of the event loop.
 * Framing only finds where each entry's data lies; nothing is inflated.
 */
const ZIP_SLICE_BYTES = 256 * 1024;

/**
 * Inflated bytes per chunk of the inflater: the limits are checked after
 * each chunk, and the inflater waits for a chunk to be taken before it
 * inflates the next, so a limit stops it within about two chunks.
 */
const INFLATE_CHUNK_BYTES = 64 * 1024;

const STORED = 0;
const DEFLATE = 8;

/**
 * An extracted entry went over one of the {@link ZipLimits}. It does so on
 * every attempt, so retrying it is pointless.
 */
export class ZipLimitError extends CustomErrorBase {
  name = 'ZipLimitError' as const;

  constructor(
    message: string,
    /** The path of the entry inside the ZIP. */
    readonly entryName: string,
    readonly limit: keyof ZipLimits | 'entryCount',
    /** How much of the entry had been inflated when it was refused. */
    readonly inflatedBytes: number,
  ) {
    super(message);
  }
}

/** One CSV taken out of a ZIP. */
export interface ExtractedEntry {
  /** Its path inside the ZIP. */
  entryName: string;
  bytes: Uint8Array;
  /** SHA-256 (hex) of `bytes`. */
  sha256: string;
}

/** The file name without folders (ZIPs from Windows may use backslashes). */
function baseNameOf(entryName: string): string {
  return entryName.slice(
    Math.max(entryName.lastIndexOf('/'), entryName.lastIndexOf('\\')) + 1,
  );
}

const formatBytes = (bytes: number) => bytes.toLocaleString('en-US');

function formatMiB(bytes: number): string {
  return `${Number((bytes / MIB).toFixed(4))} MiB`;
}

function assertLimits(limits: ZipLimits): void {
  for (const key of ['maxEntryBytes', 'maxTotalBytes'] as const) {
    if (!Number.isSafeInteger(limits[key]) || limits[key] <= 0) {
      throw new InputError(
        `${key} must be a positive whole number of bytes, got ${limits[key]}`,
      );
    }
  }
  const ratio = limits.maxCompressionRatio;
  if (!Number.isFinite(ratio) || ratio < 1) {
    throw new InputError(
      `maxCompressionRatio must be a number of at least 1, got ${ratio}`,
    );
  }
}

function unreadable(zipLabel: string, error: unknown): InputError {
  return new InputError(
    `${zipLabel} is not a readable ZIP file: ${
      error instanceof Error ? error.message : String(error)
    }`,
  );
}

/** An entry's compressed data, as the unzip stream found it. */
class FramedEntry {
  readonly compressedChunks: Uint8Array[] = [];
  finished = false;

  constructor(readonly entryName: string, readonly compression: number) {}
}

/** What has been inflated of one entry so far. */
class EntryProgress {
  compressedBytes = 0;
  inflatedBytes = 0;
  private readonly chunks: Uint8Array[] = [];
  private readonly hash: Hash = createHash('sha256');

  constructor(readonly entryName: string) {}

  add(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.hash.update(chunk);
  }

  result(): ExtractedEntry {
    const bytes = new Uint8Array(this.inflatedBytes);
    let offset = 0;
    for (const chunk of this.chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    this.chunks.length = 0;
    return {
      entryName: this.entryName,
      bytes,
      sha256: this.hash.digest('hex'),
    };
  }
}

/**
 * Counts what one ZIP's entries inflate to, and throws a ZipLimitError the
 * moment a limit is passed. The bytes are counted as they come out of the
 * inflater: the sizes a ZIP declares in its headers can lie.
 */
class LimitedInflation {
  private totalBytes = 0;

  constructor(
    private readonly zipLabel: string,
    private readonly limits: ZipLimits,
  ) {}

  /**
   * Records `inflated` more bytes of `entry`, inflated from its first
   * `compressedBytes` bytes.
   */
  count(entry: EntryProgress, compressedBytes: number, inflated: number): void {
    entry.compressedBytes = compressedBytes;
    entry.inflatedBytes += inflated;
    this.totalBytes += inflated;
    const { maxEntryBytes, maxTotalBytes, maxCompressionRatio } = this.limits;
    const stopped = `; stopped after inflating ${formatBytes(
      entry.inflatedBytes,
    )} bytes of it from ${formatBytes(entry.compressedBytes)} compressed bytes`;
    if (entry.inflatedBytes > maxEntryBytes) {
      throw this.limitError(
        entry,
        'maxEntryBytes',
        `is larger than ${formatMiB(maxEntryBytes)} uncompressed${stopped}`,
      );
    }
    if (this.totalBytes > maxTotalBytes) {
      throw this.limitError(
        entry,
        'maxTotalBytes',
        `takes the entries extracted from the ZIP over ${formatMiB(
          maxTotalBytes,
        )} uncompressed in total (${formatBytes(
          this.totalBytes,
        )} bytes so far)${stopped}`,
      );
    }
    if (
      entry.inflatedBytes > RATIO_CHECK_FLOOR_BYTES &&
      entry.inflatedBytes > maxCompressionRatio * entry.compressedBytes
    ) {
      throw this.limitError(
        entry,
        'maxCompressionRatio',
        `inflates more than ${maxCompressionRatio} times its compressed size (${(
          entry.inflatedBytes / entry.compressedBytes
        ).toFixed(1)} times so far)${stopped}`,
      );
    }
  }

  private limitError(
    entry: EntryProgress,
    limit: keyof ZipLimits,
    what: string,
  ): ZipLimitError {
    // As configured: in MiB, or the ratio itself.
    const value =
      limit === 'maxCompressionRatio'
        ? this.limits.maxCompressionRatio
        : Number((this.limits[limit] / MIB).toFixed(4));
    return new ZipLimitError(
      `${this.zipLabel}: entry "${entry.entryName}" ${what}. Refused by the limit ${LIMIT_KEYS[limit]} = ${value}`,
      entry.entryName,
      limit,
      entry.inflatedBytes,
    );
  }
}

/**
 * The entries named in the ZIP's central directory, read without inflating
 * anything; also rejects bytes that are no ZIP at all.
 */
function listEntries(
  zipBytes: Uint8Array,
  zipLabel: string,
): Array<{ name: string; compression: number }> {
  const entries: Array<{ name: string; compression: number }> = [];
  let listed = 0;
  try {
    unzipSync(zipBytes, {
      filter: file => {
        // The listing runs in one go: a ZIP of countless empty entries must
        // not hold the event loop while it is walked.
        listed += 1;
        if (listed > MAX_LISTED_ENTRIES) {
          throw new ZipLimitError(
            `${zipLabel} lists more than ${MAX_LISTED_ENTRIES.toLocaleString(
              'en-US',
            )} entries; refused before reading them (the LTA ZIPs hold one or two)`,
            file.name,
            'entryCount',
            0,
          );
        }
        if (!file.name.endsWith('/')) {
          entries.push({ name: file.name, compression: file.compression });
        }
        return false;
      },
    });
  } catch (error) {
    if (error instanceof ZipLimitError) throw error;
    throw unreadable(zipLabel, error);
  }
  return entries;
}

/**
 * Finds the compressed data of the entries named `baseNames` by streaming
 * the ZIP through fflate's Unzip, whose decoders here only keep the bytes
 * they are given. Other entries are skipped, and the stream stops once the
 * wanted entries are complete.
 */
async function frameEntries(
  zipBytes: Uint8Array,
  baseNames: readonly string[],
  zipLabel: string,
): Promise<Map<string, FramedEntry>> {
  const framedByName = new Map<string, FramedEntry>();
  const framedByBaseName = new Map<string, FramedEntry>();
  const unzip = new Unzip((file: UnzipFile) => {
    const baseName = baseNameOf(file.name);
    if (
      file.name.endsWith('/') ||
      !baseNames.includes(baseName) ||
      framedByBaseName.has(baseName)
    ) {
      // Never started, so never decoded.
      return;
    }
    const framed = new FramedEntry(file.name, file.compression);
    framedByName.set(file.name, framed);
    framedByBaseName.set(baseName, framed);
    file.ondata = (error, _chunk, final) => {
      if (error) {
        throw error;
      }
      framed.finished = final;
    };
    file.start();
  });

  // fflate constructs decoders itself, with only the entry name.
  class KeepCompressedBytes implements UnzipDecoder {
    ondata: AsyncFlateStreamHandler = () => {};
    private readonly framed: FramedEntry | undefined;

    constructor(entryName: string) {
      this.framed = framedByName.get(entryName);
    }

    // Unzip hands over slices of the ZIP's buffer or of its own copies.
    push(chunk: Uint8Array<ArrayBuffer>, final: boolean): void {
      if (chunk.length > 0) {
        this.framed?.compressedChunks.push(chunk);
      }
      this.ondata(null, chunk, final);
    }
  }
  for (const compression of [STORED, DEFLATE]) {
    unzip.register(
      class extends KeepCompressedBytes {
        static compression = compression;
      },
    );
  }

  const allFinished = () =>
    framedByBaseName.size === baseNames.length &&
    [...framedByBaseName.values()].every(framed => framed.finished);
  for (
    let offset = 0;
    offset < zipBytes.length && !allFinished();
    offset += ZIP_SLICE_BYTES
  ) {
    const end = Math.min(offset + ZIP_SLICE_BYTES, zipBytes.length);
    try {
      unzip.push(zipBytes.subarray(offset, end), end === zipBytes.length);
    } catch (error) {
      // fflate's errors: an unknown compression method, data cut short...
      throw unreadable(zipLabel, error);
    }
    await nextEventLoopTurn();
  }
  for (const baseName of baseNames) {
    const framed = framedByBaseName.get(baseName);
    if (!framed?.finished) {
      // Listed in the central directory, but cut short or missing in the entries themselves.
      throw unreadable(
        zipLabel,
        `the data of ${framed?.entryName ?? baseName} ends early`,
      );
    }
  }
  return framedByBaseName;
}

/**
 * Inflates one entry with zlib, which works in libuv's thread pool and not
 * on the event loop, counting each chunk it makes into `inflation`; a limit
 * passed destroys the inflater, so the rest is never inflated.
 */
async function inflateEntry(
  framed: FramedEntry,
  inflation: LimitedInflation,
  zipLabel: string,
): Promise<ExtractedEntry> {
  const progress = new EntryProgress(framed.entryName);
  if (framed.compression === STORED) {
    let compressedBytes = 0;
    for (const chunk of framed.compressedChunks) {
      compressedBytes += chunk.length;
      inflation.count(progress, compressedBytes, chunk.length);
      progress.add(chunk);
    }
    return progress.result();
  }

  const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES });
  try {
    await pipeline(
      framed.compressedChunks,
      inflater,
      async (inflated: AsyncIterable<Buffer>) => {
        for await (const chunk of inflated) {
          // bytesWritten: the compressed bytes the inflater has consumed.
          inflation.count(progress, inflater.bytesWritten, chunk.length);
          progress.add(chunk);
        }
      },
    );
  } catch (error) {
    if (error instanceof ZipLimitError) {
      throw error;
    }
    throw unreadable(zipLabel, `entry "${framed.entryName}": ${error}`);
  }
  return progress.result();
}

/**
 * Takes the entries named `baseNames` out of a ZIP, in whichever folder each
 * sits (LTA moved the COE files into a sub-folder once), and returns them by
 * base name. `zipLabel` names the ZIP in errors.
 *
 * Only the wanted entries are inflated, as streams, and a ZipLimitError
 * stops inflating as soon as one passes one of `limits`. The event loop
 * keeps turning meanwhile: the ZIP is framed a slice at a time, and zlib
 * inflates in its thread pool.
 */
export async function extractCsvFiles(
  zipBytes: Uint8Array,
  baseNames: readonly string[],
  zipLabel: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<Map<string, ExtractedEntry>> {
  assertLimits(limits);

  const entries = listEntries(zipBytes, zipLabel);
  for (const baseName of baseNames) {
    const matches = entries.filter(
      entry => baseNameOf(entry.name) === baseName,
    );
    if (matches.length === 0) {
      throw new InputError(
        `${zipLabel} does not contain ${baseName}; its entries are: ${
          entries.length > 0
            ? entries.map(entry => entry.name).join(', ')
            : '(none)'
        }`,
      );
    }
    if (matches.length > 1) {
      throw new InputError(
        `${zipLabel} contains ${baseName} more than once: ${matches
          .map(entry => entry.name)
          .join(', ')}`,
      );
    }
    const { name, compression } = matches[0];
    if (compression !== STORED && compression !== DEFLATE) {
      throw new InputError(
        `${zipLabel}: entry "${name}" uses compression method ${compression}; only stored (0) and deflate (8) are supported`,
      );
    }
  }

  const framed = await frameEntries(zipBytes, baseNames, zipLabel);
  const inflation = new LimitedInflation(zipLabel, limits);
  const extracted = new Map<string, ExtractedEntry>();
  for (const [baseName, entry] of framed) {
    extracted.set(baseName, await inflateEntry(entry, inflation, zipLabel));
  }
  return extracted;
}
