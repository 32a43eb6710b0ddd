import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CARS_CSV,
  CARS_ZIP,
  carsZip,
  COE_CSV,
  COE_ZIP,
  coeZip,
  PQP_CSV,
  serveLtaZips,
  TEST_LTA_BASE_URL,
} from './__testUtils__/ltaServer';
import { setupIngestTests, sha256 } from './__testUtils__/ingestTestSetup';
import { readTableState } from './__testUtils__/tableState';
import { ingestDataset } from './ingestDataset';
import { SAMPLE_ASSETS_DIRECTORY } from './sampleZips';
import { zipSync } from 'fflate';

const { databases, server, migratedDatabase } = setupIngestTests();

const sample = {
  cars: readFileSync(join(SAMPLE_ASSETS_DIRECTORY, CARS_CSV), 'utf8'),
  coe: readFileSync(join(SAMPLE_ASSETS_DIRECTORY, COE_CSV), 'utf8'),
  pqp: readFileSync(join(SAMPLE_ASSETS_DIRECTORY, PQP_CSV), 'utf8'),
};

/** Data lines of a sample CSV (header and empty lines dropped). */
function dataLines(csv: string): string[] {
  return csv
    .split(/\r?\n/)
    .slice(1)
    .filter(line => line !== '');
}

function header(csv: string): string {
  return csv.split(/\r?\n/)[0];
}

/** A CSV in the sample's line ending (CRLF for cars, LF for COE). */
function csvOf(headerLine: string, lines: string[], eol: string): string {
  return `${[headerLine, ...lines].join(eol)}${eol}`;
}

const carsLines = dataLines(sample.cars);
const coeLines = dataLines(sample.coe);
const pqpLines = dataLines(sample.pqp);

/** The sample cars CSV without one month, as LTA published it earlier. */
function carsWithout(month: string): string {
  return csvOf(
    header(sample.cars),
    carsLines.filter(line => !line.startsWith(`${month},`)),
    '\r\n',
  );
}

/** Copies the lines of `fromMonth` into `toMonth`: a month LTA adds next. */
function linesForMonth(lines: string[], fromMonth: string, toMonth: string) {
  return lines
    .filter(line => line.startsWith(`${fromMonth},`))
    .map(line => `${toMonth}${line.slice(fromMonth.length)}`);
}

const options = { baseUrl: TEST_LTA_BASE_URL, maxZipBytes: 1_000_000 };

/** The state after both samples were ingested: the base of the failure tests. */
async function withSamplesIngested(knex: Knex) {
  serveLtaZips(server, {
    [CARS_ZIP]: carsZip(sample.cars),
    [COE_ZIP]: coeZip(sample.coe, sample.pqp),
  });
  await ingestDataset(knex, 'cars', options);
  await ingestDataset(knex, 'coe', options);
  server.resetHandlers();
  return readTableState(knex);
}

describe('ingestDataset', () => {
  const ids = databases.eachSupportedId();

  it.each(ids)(
    'loads and cleans the cars ZIP, and a second run adds nothing, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      const { requestedPaths } = serveLtaZips(server, {
        [CARS_ZIP]: carsZip(sample.cars),
      });

      const first = await ingestDataset(knex, 'cars', options);
      expect(first).toEqual([
        {
          table: 'cars',
          recordsProcessed: carsLines.length,
          checksum: sha256(sample.cars),
          message: `M03-Car_Regn_by_make.csv changed: ${carsLines.length} of its ${carsLines.length} rows were new or updated in cars`,
        },
      ]);
      expect(carsLines.length).toBe(1986);
      expect(requestedPaths).toEqual([
        '/datasets/Vehicle%20Registration/Monthly%20New%20Registration%20of%20Cars%20by%20Make.zip',
      ]);

      const bmwLines = carsLines.filter(
        line => line.split(',')[1] === 'B.M.W.',
      );
      const bmw = await knex('cars').where({ make: 'BMW' }).count({ n: '*' });
      expect(Number(bmw[0].n)).toBe(bmwLines.length);
      expect(bmwLines.length).toBeGreaterThan(0);
      const dotted = await knex('cars').where('make', 'like', '%.%');
      expect(dotted).toEqual([]);
      const coupe = await knex('cars')
        .distinct('vehicle_type')
        .where('vehicle_type', 'like', 'Coupe%');
      expect(coupe).toEqual([{ vehicle_type: 'Coupe/Convertible' }]);
      const withoutImporter = await knex('cars')
        .whereNull('importer_type')
        .count({ n: '*' });
      expect(Number(withoutImporter[0].n)).toBe(
        carsLines.filter(line => line.split(',')[2] === '').length,
      );
      const emptyNumbers = carsLines.filter(line => line.endsWith(',')).length;
      const zeros = await knex('cars').where({ number: 0 }).count({ n: '*' });
      expect(Number(zeros[0].n)).toBeGreaterThanOrEqual(emptyNumbers);

      const before = await readTableState(knex);
      const second = await ingestDataset(knex, 'cars', options);
      expect(second).toEqual([
        {
          table: 'cars',
          recordsProcessed: 0,
          checksum: sha256(sample.cars),
          message:
            'M03-Car_Regn_by_make.csv is unchanged since the last run; nothing written to cars',
        },
      ]);
      expect(await readTableState(knex)).toEqual(before);
    },
  );

  it.each(ids)(
    'inserts only the rows of a month added to the cars file on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      serveLtaZips(server, { [CARS_ZIP]: carsZip(carsWithout('2023-01')) });
      const [earlier] = await ingestDataset(knex, 'cars', options);
      const newMonthRows = carsLines.filter(line =>
        line.startsWith('2023-01,'),
      );
      expect(earlier.recordsProcessed).toBe(
        carsLines.length - newMonthRows.length,
      );
      const oldRows = await knex('cars').orderBy([
        'month',
        'make',
        'fuel_type',
        'vehicle_type',
        'importer_type',
      ]);

      serveLtaZips(server, { [CARS_ZIP]: carsZip(sample.cars) });
      const [later] = await ingestDataset(knex, 'cars', options);
      expect(later.recordsProcessed).toBe(newMonthRows.length);
      expect(newMonthRows.length).toBe(816);
      const months = await knex('cars')
        .count({ n: '*' })
        .select<Array<{ month: string; n: string | number }>>('month')
        .groupBy('month')
        .orderBy('month');
      expect(months.map(row => [row.month, Number(row.n)])).toEqual([
        ['2022-11', 576],
        ['2022-12', 594],
        ['2023-01', 816],
      ]);
      expect(
        await knex('cars')
          .whereNot({ month: '2023-01' })
          .orderBy([
            'month',
            'make',
            'fuel_type',
            'vehicle_type',
            'importer_type',
          ]),
      ).toEqual(oldRows);
    },
  );

  it.each(ids)(
    'loads COE results and PQP from the sub-folder of the COE ZIP, once, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      serveLtaZips(server, { [COE_ZIP]: coeZip(sample.coe, sample.pqp) });

      const first = await ingestDataset(knex, 'coe', options);
      expect(first.map(r => [r.table, r.recordsProcessed, r.checksum])).toEqual(
        [
          ['coe', 65, sha256(sample.coe)],
          ['pqp', 28, sha256(sample.pqp)],
        ],
      );
      expect([coeLines.length, pqpLines.length]).toEqual([65, 28]);
      // "1,438" in the file.
      const quoted = await knex('coe')
        .where({ month: '2023-05', bidding_no: 2, vehicle_class: 'Category D' })
        .first();
      expect(Number(quoted.bids_received)).toBe(1438);

      const second = await ingestDataset(knex, 'coe', options);
      expect(second.map(r => [r.table, r.recordsProcessed])).toEqual([
        ['coe', 0],
        ['pqp', 0],
      ]);
      expect(await readTableState(knex)).toMatchObject({ coe: 65, pqp: 28 });
    },
  );

  it.each(ids)(
    'reports a change of the PQP file alone on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      await withSamplesIngested(knex);
      const pqp = csvOf(
        header(sample.pqp),
        [...pqpLines, '2023-08,Category A,93000', '2023-08,Category B,110001'],
        '\n',
      );
      serveLtaZips(server, { [COE_ZIP]: coeZip(sample.coe, pqp) });

      const results = await ingestDataset(knex, 'coe', options);
      expect(results).toEqual([
        expect.objectContaining({ table: 'coe', recordsProcessed: 0 }),
        expect.objectContaining({
          table: 'pqp',
          recordsProcessed: 2,
          checksum: sha256(pqp),
        }),
      ]);
      expect(await readTableState(knex)).toMatchObject({ coe: 65, pqp: 30 });
    },
  );

  it.each(ids)(
    'updates a corrected PQP value in place instead of adding a row on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      await withSamplesIngested(knex);
      const original = pqpLines.find(line =>
        line.startsWith('2023-07,Category A,'),
      );
      expect(original).toBe('2023-07,Category A,97905');
      const corrected = csvOf(
        header(sample.pqp),
        pqpLines.map(line =>
          line === original ? '2023-07,Category A,99100' : line,
        ),
        '\n',
      );
      serveLtaZips(server, { [COE_ZIP]: coeZip(sample.coe, corrected) });

      const [, pqp] = await ingestDataset(knex, 'coe', options);
      expect(pqp.recordsProcessed).toBe(1);
      const rows = await knex('pqp').where({
        month: '2023-07',
        vehicle_class: 'Category A',
      });
      expect(rows.map(row => Number(row.pqp))).toEqual([99100]);
      expect(await readTableState(knex)).toMatchObject({ pqp: 28 });
    },
  );

  const badInputs: Array<{
    name: string;
    dataset: 'cars' | 'coe';
    zips: () => Record<string, Uint8Array>;
    maxZipBytes?: number;
    message: string | RegExp;
  }> = [
    {
      name: 'a missing column',
      dataset: 'cars',
      zips: () => ({
        [CARS_ZIP]: carsZip(
          csvOf(
            'month,make,importer_type,vehicle_type,number',
            ['2023-02,AUDI,AMD,Sedan,1'],
            '\r\n',
          ),
        ),
      }),
      message:
        'M03-Car_Regn_by_make.csv line 1: missing column "fuel_type"; the header has month, make, importer_type, vehicle_type, number',
    },
    {
      name: 'a non-numeric number after 816 new rows',
      dataset: 'cars',
      zips: () => ({
        [CARS_ZIP]: carsZip(
          csvOf(
            header(sample.cars),
            [
              ...carsLines,
              ...linesForMonth(carsLines, '2023-01', '2023-02'),
              '2023-02,AUDI,PI,Petrol,Sedan,twelve',
            ],
            '\r\n',
          ),
        ),
      }),
      message:
        'M03-Car_Regn_by_make.csv line 2804, column "number": "twelve" is not a whole number',
    },
    {
      name: 'a non-numeric premium (with a changed PQP file)',
      dataset: 'coe',
      zips: () => ({
        [COE_ZIP]: coeZip(
          csvOf(
            header(sample.coe),
            [
              ...coeLines,
              ...linesForMonth(coeLines, '2023-07', '2023-08'),
              '2023-08,2,Category A,1000,990,1500,not published',
            ],
            '\n',
          ),
          csvOf(
            header(sample.pqp),
            [...pqpLines, ...linesForMonth(pqpLines, '2023-07', '2023-08')],
            '\n',
          ),
        ),
      }),
      message:
        'M11-coe_results.csv line 72, column "premium": "not published" is not a whole number',
    },
    {
      name: 'a ZIP without the PQP CSV',
      dataset: 'coe',
      zips: () => ({
        [COE_ZIP]: zipSync({
          'COE Bidding Results': {
            [COE_CSV]: new TextEncoder().encode(
              csvOf(
                header(sample.coe),
                [...coeLines, ...linesForMonth(coeLines, '2023-07', '2023-08')],
                '\n',
              ),
            ),
          },
        }),
      }),
      message:
        'COE Bidding Results.zip does not contain M11-coe_results_pqp.csv; its entries are: COE Bidding Results/M11-coe_results.csv',
    },
    {
      name: 'an oversized ZIP',
      dataset: 'cars',
      zips: () => ({
        [CARS_ZIP]: carsZip(
          csvOf(
            header(sample.cars),
            [...carsLines, ...linesForMonth(carsLines, '2023-01', '2023-02')],
            '\r\n',
          ),
        ),
      }),
      maxZipBytes: 1000,
      message: `The download of ${TEST_LTA_BASE_URL}/Monthly%20New%20Registration%20of%20Cars%20by%20Make.zip is larger than the limit of 1000 bytes`,
    },
    {
      name: 'an empty file',
      dataset: 'cars',
      zips: () => ({ [CARS_ZIP]: carsZip('') }),
      message:
        'M03-Car_Regn_by_make.csv is empty: expected a header with month, make, importer_type, fuel_type, vehicle_type, number',
    },
    {
      name: 'a missing download',
      dataset: 'coe',
      zips: () => ({}),
      message: `The download of ${TEST_LTA_BASE_URL}/COE%20Bidding%20Results.zip failed: HTTP 404`,
    },
  ];

  describe.each(badInputs)('with $name', bad => {
    it.each(ids)(
      'fails with a message naming the file and writes nothing on %p',
      async databaseId => {
        const knex = await migratedDatabase(databaseId);
        const before = await withSamplesIngested(knex);
        serveLtaZips(server, bad.zips());

        await expect(
          ingestDataset(knex, bad.dataset, {
            ...options,
            maxZipBytes: bad.maxZipBytes ?? options.maxZipBytes,
            batchSize: 100,
          }),
        ).rejects.toThrow(bad.message);
        expect(await readTableState(knex)).toEqual(before);
      },
    );
  });

  it.each(ids)(
    'rolls back rows when the checksum cannot be stored, and a retry then loads them, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      // A fault raised by the database after the rows were written: the
      // trigger only fires once cars holds rows of this run.
      if (databaseId.startsWith('POSTGRES')) {
        await knex.raw(`
          CREATE FUNCTION fail_checksum_write() RETURNS trigger AS $$
          BEGIN
            IF (SELECT count(*) FROM cars) > 0 THEN
              RAISE EXCEPTION 'injected fault after the rows were written';
            END IF;
            RETURN NEW;
          END $$ LANGUAGE plpgsql`);
        await knex.raw(
          'CREATE TRIGGER checksum_fault BEFORE INSERT OR UPDATE ON sgcarstrends_checksums FOR EACH ROW EXECUTE FUNCTION fail_checksum_write()',
        );
      } else {
        await knex.raw(`
          CREATE TRIGGER checksum_fault BEFORE INSERT ON sgcarstrends_checksums
          WHEN (SELECT count(*) FROM cars) > 0
          BEGIN SELECT RAISE(ABORT, 'injected fault after the rows were written'); END`);
      }
      serveLtaZips(server, { [CARS_ZIP]: carsZip(sample.cars) });

      // Matched on the message: better-sqlite3's errors are not real Error
      // objects, which `rejects.toThrow` misses once jest shares the module.
      await expect(
        ingestDataset(knex, 'cars', { ...options, batchSize: 100 }),
      ).rejects.toMatchObject({
        message: expect.stringContaining(
          'injected fault after the rows were written',
        ),
      });
      expect(await readTableState(knex)).toEqual({
        cars: 0,
        coe: 0,
        pqp: 0,
        checksums: {},
      });

      await knex.raw(
        databaseId.startsWith('POSTGRES')
          ? 'DROP TRIGGER checksum_fault ON sgcarstrends_checksums'
          : 'DROP TRIGGER checksum_fault',
      );
      const [retry] = await ingestDataset(knex, 'cars', options);
      expect(retry.recordsProcessed).toBe(carsLines.length);
      expect(await readTableState(knex)).toEqual({
        cars: carsLines.length,
        coe: 0,
        pqp: 0,
        checksums: { [CARS_CSV]: sha256(sample.cars) },
      });
    },
  );

  it.each(ids)(
    'commits COE results and PQP together: a PQP failure also undoes the COE rows, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      const badPqp = csvOf(
        header(sample.pqp),
        [...pqpLines, '2023-08,Category A,'],
        '\n',
      );
      serveLtaZips(server, { [COE_ZIP]: coeZip(sample.coe, badPqp) });
      await expect(ingestDataset(knex, 'coe', options)).rejects.toThrow(
        'M11-coe_results_pqp.csv line 30, column "pqp": "" is not a whole number',
      );
      expect(await readTableState(knex)).toEqual({
        cars: 0,
        coe: 0,
        pqp: 0,
        checksums: {},
      });

      serveLtaZips(server, { [COE_ZIP]: coeZip(sample.coe, sample.pqp) });
      const retry = await ingestDataset(knex, 'coe', options);
      expect(retry.map(r => r.recordsProcessed)).toEqual([65, 28]);
    },
  );

  it.each(ids)(
    'loads a file once when two runs overlap on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      serveLtaZips(server, { [CARS_ZIP]: carsZip(sample.cars) });
      const runs = await Promise.all([
        ingestDataset(knex, 'cars', { ...options, batchSize: 200 }),
        ingestDataset(knex, 'cars', { ...options, batchSize: 200 }),
      ]);
      const processed = runs.map(([result]) => result.recordsProcessed);
      expect(processed.sort((a, b) => a - b)).toEqual([0, carsLines.length]);
      expect(await readTableState(knex)).toMatchObject({
        cars: carsLines.length,
      });
    },
  );
});
