import { unzipSync, zipSync } from 'fflate';
import { createHash, randomBytes } from 'node:crypto';
import {
  DEFAULT_ZIP_LIMITS,
  extractCsvFiles,
  MAX_LISTED_ENTRIES,
  RATIO_CHECK_FLOOR_BYTES,
  ZipLimitError,
} from './extractCsv';

const MIB = 1024 * 1024;
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function extractOne(
  zip: Uint8Array,
  baseName: string,
  zipLabel: string,
  limits = DEFAULT_ZIP_LIMITS,
): Promise<string> {
  const files = await extractCsvFiles(zip, [baseName], zipLabel, limits);
  return decode(files.get(baseName)!.bytes);
}

/** Printable bytes that deflate hardly at all (random base64). */
function incompressibleBytes(length: number): Uint8Array {
  return Buffer.from(
    randomBytes(Math.ceil((length * 3) / 4)).toString('base64'),
  ).subarray(0, length);
}

/**
 * Overwrites the uncompressed size the ZIP declares for its only entry, in
 * the local header and in the central directory, as a bomb would.
 */
function declareUncompressedSize(zip: Uint8Array, size: number): Uint8Array {
  const patched = zip.slice();
  const view = new DataView(patched.buffer);
  view.setUint32(22, size, true);
  const centralDirectory = view.getUint32(patched.length - 6, true);
  view.setUint32(centralDirectory + 24, size, true);
  return patched;
}

describe('extractCsvFiles', () => {
  it('returns an entry at the root of the ZIP with its SHA-256', async () => {
    const zip = zipSync({
      'M03-Car_Regn_by_make.csv': encode('month,make\n'),
      'readme.txt': encode('other'),
    });
    const files = await extractCsvFiles(
      zip,
      ['M03-Car_Regn_by_make.csv'],
      'cars.zip',
    );
    expect([...files.keys()]).toEqual(['M03-Car_Regn_by_make.csv']);
    const file = files.get('M03-Car_Regn_by_make.csv')!;
    expect(file.entryName).toBe('M03-Car_Regn_by_make.csv');
    expect(decode(file.bytes)).toBe('month,make\n');
    expect(file.sha256).toBe(
      createHash('sha256').update('month,make\n').digest('hex'),
    );
  });

  it('finds entries by their base name inside a sub-folder', async () => {
    const zip = zipSync({
      'COE Bidding Results': {
        'M11-coe_results.csv': encode('coe'),
        'M11-coe_results_pqp.csv': encode('pqp'),
      },
    });
    const files = await extractCsvFiles(
      zip,
      ['M11-coe_results.csv', 'M11-coe_results_pqp.csv'],
      'coe.zip',
    );
    expect(decode(files.get('M11-coe_results.csv')!.bytes)).toBe('coe');
    expect(files.get('M11-coe_results_pqp.csv')).toMatchObject({
      entryName: 'COE Bidding Results/M11-coe_results_pqp.csv',
    });
    expect(decode(files.get('M11-coe_results_pqp.csv')!.bytes)).toBe('pqp');
  });

  it('reads a large entry whole, stored or deflated', async () => {
    const csv = incompressibleBytes(1.5 * MIB + 17);
    for (const level of [0, 1] as const) {
      const zip = zipSync({ 'x.csv': csv }, { level });
      const files = await extractCsvFiles(zip, ['x.csv'], 'x.zip');
      expect(Buffer.from(files.get('x.csv')!.bytes).equals(csv)).toBe(true);
    }
  });

  it('names the ZIP, the expected entry and the entries found when it is missing', async () => {
    const zip = zipSync({
      'COE Bidding Results': { 'M11-coe_results.csv': encode('coe') },
    });
    await expect(
      extractOne(zip, 'M11-coe_results_pqp.csv', 'COE Bidding Results.zip'),
    ).rejects.toThrow(
      'COE Bidding Results.zip does not contain M11-coe_results_pqp.csv; its entries are: COE Bidding Results/M11-coe_results.csv',
    );
  });

  it('does not take a file whose name only ends like the expected one', async () => {
    const zip = zipSync({ 'old-M03-Car_Regn_by_make.csv': encode('x') });
    await expect(
      extractOne(zip, 'M03-Car_Regn_by_make.csv', 'cars.zip'),
    ).rejects.toThrow('cars.zip does not contain M03-Car_Regn_by_make.csv');
  });

  it('refuses an ambiguous ZIP holding the file twice', async () => {
    const zip = zipSync({
      a: { 'M11-coe_results.csv': encode('1') },
      b: { 'M11-coe_results.csv': encode('2') },
    });
    await expect(
      extractOne(zip, 'M11-coe_results.csv', 'coe.zip'),
    ).rejects.toThrow(
      'coe.zip contains M11-coe_results.csv more than once: a/M11-coe_results.csv, b/M11-coe_results.csv',
    );
  });

  it('names the ZIP when the bytes are not a ZIP at all', async () => {
    await expect(
      extractOne(encode('<html>maintenance</html>'), 'x.csv', 'cars.zip'),
    ).rejects.toThrow(/^cars\.zip is not a readable ZIP file: /);
  });

  it('names the ZIP when an entry is cut short', async () => {
    const zip = zipSync({ 'x.csv': incompressibleBytes(200_000) });
    // The entry's data loses its last 50,000 bytes; the central directory
    // stays intact and is moved up to match.
    const centralDirectory = zip.length - 22 - 46 - 'x.csv'.length;
    const cut = new Uint8Array([
      ...zip.subarray(0, centralDirectory - 50_000),
      ...zip.subarray(centralDirectory),
    ]);
    new DataView(cut.buffer).setUint32(
      cut.length - 6,
      centralDirectory - 50_000,
      true,
    );
    await expect(extractOne(cut, 'x.csv', 'x.zip')).rejects.toThrow(
      /^x\.zip is not a readable ZIP file: /,
    );
  });

  describe('limits', () => {
    it('refuses a ZIP listing more entries than the cap before walking them all', async () => {
      const files: Record<string, Uint8Array> = {};
      for (let i = 0; i <= MAX_LISTED_ENTRIES; i++) {
        files[`empty-${i}.txt`] = new Uint8Array(0);
      }
      files['M03-Car_Regn_by_make.csv'] = encode('month,make\n');
      const zip = zipSync(files, { level: 0 });
      const error = await extractCsvFiles(
        zip,
        ['M03-Car_Regn_by_make.csv'],
        'many.zip',
        DEFAULT_ZIP_LIMITS,
      ).catch(e => e);
      expect(error).toBeInstanceOf(ZipLimitError);
      expect(error.limit).toBe('entryCount');
      expect(error.message).toBe(
        'many.zip lists more than 10,000 entries; refused before reading them (the LTA ZIPs hold one or two)',
      );
    });

    it('refuses an entry over maxEntryBytes, counting inflated bytes whatever the headers declare', async () => {
      const zip = declareUncompressedSize(
        zipSync({ 'x.csv': incompressibleBytes(3 * MIB) }, { level: 1 }),
        1000,
      );
      let declared = 0;
      unzipSync(zip, {
        filter: file => {
          declared = file.originalSize;
          return false;
        },
      });
      expect(declared).toBe(1000);

      const error = await extractCsvFiles(zip, ['x.csv'], 'x.zip', {
        ...DEFAULT_ZIP_LIMITS,
        maxEntryBytes: 2 * MIB,
      }).catch(e => e);
      expect(error).toBeInstanceOf(ZipLimitError);
      expect(error).toMatchObject({
        entryName: 'x.csv',
        limit: 'maxEntryBytes',
      });
      expect(error.message).toMatch(
        /^x\.zip: entry "x\.csv" is larger than 2 MiB uncompressed; stopped after inflating [\d,]+ bytes of it from [\d,]+ compressed bytes\. Refused by the limit workflows\.sgcarstrends\.source\.maxEntryMegabytes = 2$/,
      );
      // Stopped within two inflated chunks (64 KiB each) of the limit.
      expect(error.inflatedBytes).toBeGreaterThan(2 * MIB);
      expect(error.inflatedBytes).toBeLessThanOrEqual(2 * MIB + 128 * 1024);
    });

    it('counts a stored (uncompressed) entry against maxEntryBytes too', async () => {
      const zip = zipSync(
        { 'x.csv': incompressibleBytes(3 * MIB) },
        { level: 0 },
      );
      await expect(
        extractOne(zip, 'x.csv', 'x.zip', {
          ...DEFAULT_ZIP_LIMITS,
          maxEntryBytes: 2 * MIB,
        }),
      ).rejects.toMatchObject({
        name: 'ZipLimitError',
        limit: 'maxEntryBytes',
      });
    });

    it('refuses a ZIP of zeros with the default limits after inflating a few MiB of it', async () => {
      const zip = zipSync({ 'x.csv': new Uint8Array(48 * MIB) }, { level: 1 });
      expect(zip.length).toBeLessThan(400 * 1024);
      const error = await extractCsvFiles(zip, ['x.csv'], 'x.zip').catch(
        e => e,
      );
      expect(error).toBeInstanceOf(ZipLimitError);
      expect(error.limit).toBe('maxCompressionRatio');
      expect(error.message).toMatch(
        /^x\.zip: entry "x\.csv" inflates more than 100 times its compressed size \([\d.]+ times so far\); stopped after inflating [\d,]+ bytes of it from [\d,]+ compressed bytes\. Refused by the limit workflows\.sgcarstrends\.source\.maxCompressionRatio = 100$/,
      );
      // Stopped within two inflated chunks (64 KiB each) of the ratio floor.
      expect(error.inflatedBytes).toBeGreaterThan(RATIO_CHECK_FLOOR_BYTES);
      expect(error.inflatedBytes).toBeLessThanOrEqual(
        RATIO_CHECK_FLOOR_BYTES + 128 * 1024,
      );
    });

    it('leaves a small entry alone whatever its ratio', async () => {
      const zeros = new Uint8Array(RATIO_CHECK_FLOOR_BYTES);
      const zip = zipSync({ 'x.csv': zeros });
      const files = await extractCsvFiles(zip, ['x.csv'], 'x.zip');
      expect(Buffer.from(files.get('x.csv')!.bytes).equals(zeros)).toBe(true);
    });

    it('never inflates entries other than the expected ones', async () => {
      const zip = zipSync({
        'junk.bin': new Uint8Array(8 * MIB),
        'x.csv': encode('month\n'),
        'more junk': { 'x.csv.bak': new Uint8Array(8 * MIB) },
      });
      expect(await extractOne(zip, 'x.csv', 'x.zip')).toBe('month\n');
    });

    it('refuses the entry that takes the total over maxTotalBytes', async () => {
      const zip = zipSync(
        {
          'a.csv': incompressibleBytes(MIB + 10),
          'b.csv': incompressibleBytes(MIB + 20),
        },
        { level: 1 },
      );
      const error = await extractCsvFiles(zip, ['a.csv', 'b.csv'], 'ab.zip', {
        ...DEFAULT_ZIP_LIMITS,
        maxEntryBytes: 1.5 * MIB,
        maxTotalBytes: 2 * MIB,
      }).catch(e => e);
      expect(error).toBeInstanceOf(ZipLimitError);
      expect(error).toMatchObject({
        entryName: 'b.csv',
        limit: 'maxTotalBytes',
      });
      expect(error.message).toMatch(
        /^ab\.zip: entry "b\.csv" takes the entries extracted from the ZIP over 2 MiB uncompressed in total \([\d,]+ bytes so far\); stopped after .* Refused by the limit workflows\.sgcarstrends\.source\.maxTotalMegabytes = 2$/,
      );
    });

    it.each([
      ['maxEntryBytes', 0],
      ['maxTotalBytes', 1.5],
      ['maxCompressionRatio', 0.5],
    ])('rejects %s = %p', async (key, value) => {
      const zip = zipSync({ 'x.csv': encode('x') });
      await expect(
        extractOne(zip, 'x.csv', 'x.zip', {
          ...DEFAULT_ZIP_LIMITS,
          [key]: value,
        }),
      ).rejects.toThrow(`${key} must be`);
    });
  });
});
