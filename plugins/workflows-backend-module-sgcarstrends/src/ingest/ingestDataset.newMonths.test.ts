import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CARS_CSV,
  CARS_ZIP,
  carsZip,
  serveLtaZips,
  TEST_LTA_BASE_URL,
} from './__testUtils__/ltaServer';
import { setupIngestTests, sha256 } from './__testUtils__/ingestTestSetup';
import { readTableState } from './__testUtils__/tableState';
import { ingestDataset } from './ingestDataset';
import { SAMPLE_ASSETS_DIRECTORY } from './sampleZips';

// On PostgreSQL, rows of months the table does not hold yet are
// de-duplicated in JavaScript and written with COPY; the rest keep
// INSERT ... ON CONFLICT. SQLite runs the same cases on its single path.

const { databases, server, migratedDatabase } = setupIngestTests();

const sampleCars = readFileSync(
  join(SAMPLE_ASSETS_DIRECTORY, CARS_CSV),
  'utf8',
);
const [carsHeader, ...carsLines] = sampleCars
  .split('\r\n')
  .filter(line => line !== '');
const linesOf = (month: string) =>
  carsLines.filter(line => line.startsWith(`${month},`));
const carsCsv = (lines: string[]) =>
  `${[carsHeader, ...lines].join('\r\n')}\r\n`;
/** The same line with another registration count. */
const withNumber = (line: string, number: number) =>
  line.replace(/,[^,]*$/, `,${number}`);

const sumOfNumbers = (lines: string[]) =>
  lines.reduce((sum, line) => sum + Number(line.split(',')[5] || 0), 0);

// Small batches, so duplicates and months span several writes.
const options = {
  baseUrl: TEST_LTA_BASE_URL,
  maxZipBytes: 1_000_000,
  batchSize: 100,
};

async function ingestCars(knex: Knex, csv: string) {
  serveLtaZips(server, { [CARS_ZIP]: carsZip(csv) });
  const [result] = await ingestDataset(knex, 'cars', options);
  server.resetHandlers();
  return result;
}

/** [month, rows, sum of number] per month. */
async function monthTotals(knex: Knex) {
  const rows = await knex('cars')
    .count({ n: '*' })
    .sum({ total: 'number' })
    .groupBy('month')
    .orderBy('month')
    .select<
      Array<{ month: string; n: string | number; total: string | number }>
    >('month');
  return rows.map(row => [row.month, Number(row.n), Number(row.total)]);
}

/**
 * PostgreSQL: logs every row written to cars and every checksum write with
 * the statement that wrote it (COPY or INSERT) and its transaction id.
 */
async function logWrites(knex: Knex) {
  await knex.raw(
    'CREATE TABLE write_log (table_name text, month text, statement text, txid bigint)',
  );
  await knex.raw(`
    CREATE FUNCTION log_write() RETURNS trigger AS $$
    BEGIN
      INSERT INTO write_log VALUES (
        TG_TABLE_NAME,
        to_jsonb(NEW) ->> 'month',
        upper(split_part(ltrim(current_query()), ' ', 1)),
        txid_current());
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  await knex.raw(
    'CREATE TRIGGER log_cars AFTER INSERT ON cars FOR EACH ROW EXECUTE FUNCTION log_write()',
  );
  await knex.raw(
    'CREATE TRIGGER log_checksums AFTER INSERT OR UPDATE ON sgcarstrends_checksums FOR EACH ROW EXECUTE FUNCTION log_write()',
  );
}

async function loggedWrites(knex: Knex) {
  const rows = await knex('write_log')
    .count({ n: '*' })
    .groupBy('table_name', 'month', 'statement', 'txid')
    .orderBy(['table_name', 'month'])
    .select<
      Array<{
        table_name: string;
        month: string | null;
        statement: string;
        txid: string;
        n: string;
      }>
    >('table_name', 'month', 'statement', 'txid');
  return {
    writes: rows.map(row => [
      row.table_name,
      row.month,
      row.statement,
      Number(row.n),
    ]),
    transactions: new Set(rows.map(row => row.txid)).size,
  };
}

const december = linesOf('2022-12');
const missingDecember = december.filter((_, index) => index % 3 === 0);

/**
 * The mixed case: a file without 2023-01 and a third of 2022-12 is stored,
 * then the full file comes with repeated keys, stored and new. Returns the
 * result of the second run.
 */
async function ingestMixedFile(
  knex: Knex,
  beforeSecondRun: () => Promise<void> = async () => {},
) {
  await ingestCars(
    knex,
    carsCsv(
      carsLines.filter(
        line => !line.startsWith('2023-01,') && !missingDecember.includes(line),
      ),
    ),
  );
  expect((await readTableState(knex)).cars).toBe(
    576 + 594 - missingDecember.length,
  );
  await beforeSecondRun();
  return ingestCars(
    knex,
    carsCsv([
      ...carsLines,
      // Stored rows with other counts: left as they are.
      ...linesOf('2022-11')
        .slice(0, 40)
        .map(line => withNumber(line, 7)),
      // Repeats of rows new to the table: the first one counts.
      ...missingDecember.map(line => withNumber(line, 8)),
      ...linesOf('2023-01')
        .slice(0, 60)
        .map(line => withNumber(line, 9)),
    ]),
  );
}

describe('ingestDataset, rows of months not stored yet', () => {
  const ids = databases.eachSupportedId();
  const postgresIds = ids.filter(([id]) => id.startsWith('POSTGRES'));

  it.each(ids)(
    'counts and stores each key once when a cold load repeats keys on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      const november = linesOf('2022-11');
      const january = linesOf('2023-01');
      // Later copies of keys with other counts: NULL importer types
      // (2022-11), a make spelled otherwise, and AMD/PI rows (2023-01).
      const repeats = [
        ...november.map(line => withNumber(line, 7)),
        '2022-12, bmw ,,Petrol,Sedan,55',
        ...january.slice(0, 150).map(line => withNumber(line, 9)),
      ];
      expect(linesOf('2022-12')).toContain('2022-12,B.M.W.,,Petrol,Sedan,122');
      const csv = carsCsv([...carsLines, ...repeats]);

      const result = await ingestCars(knex, csv);

      expect(result).toEqual({
        table: 'cars',
        recordsProcessed: carsLines.length,
        checksum: sha256(csv),
        message: `${CARS_CSV} changed: ${carsLines.length} of its ${
          carsLines.length + repeats.length
        } rows were new or updated in cars`,
      });
      // The first row of each key is kept, as ON CONFLICT DO NOTHING does.
      expect(await monthTotals(knex)).toEqual([
        ['2022-11', 576, sumOfNumbers(november)],
        ['2022-12', 594, sumOfNumbers(linesOf('2022-12'))],
        ['2023-01', 816, sumOfNumbers(january)],
      ]);
      const bmw = await knex('cars').where({
        month: '2022-12',
        make: 'BMW',
        fuel_type: 'Petrol',
        vehicle_type: 'Sedan',
      });
      expect(bmw.map(row => [row.importer_type, Number(row.number)])).toEqual([
        [null, 122],
      ]);
    },
  );

  it.each(ids)(
    'inserts exactly the missing rows of stored months and the rows of new months on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      const later = await ingestMixedFile(knex);

      expect(later.recordsProcessed).toBe(missingDecember.length + 816);
      expect(missingDecember.length).toBe(198);
      expect(await monthTotals(knex)).toEqual([
        ['2022-11', 576, sumOfNumbers(linesOf('2022-11'))],
        ['2022-12', 594, sumOfNumbers(december)],
        ['2023-01', 816, sumOfNumbers(linesOf('2023-01'))],
      ]);
    },
  );

  it.each(postgresIds)(
    'copies the new month and inserts into the stored one, in the transaction of the checksum, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      await ingestMixedFile(knex, () => logWrites(knex));
      expect(await loggedWrites(knex)).toEqual({
        writes: [
          ['cars', '2022-12', 'INSERT', missingDecember.length],
          ['cars', '2023-01', 'COPY', 816],
          ['sgcarstrends_checksums', null, 'INSERT', 1],
        ],
        transactions: 1,
      });
    },
  );

  it.each(ids)(
    'keeps backslashes, tabs, line breaks and the text \\N as they are on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      const csv = carsCsv([
        '2023-02,"BACK\\SLASH",\\N,Petrol,Sedan,1',
        '2023-02,"TAB\tMAKE",PI,Petrol,Sedan,2',
        '2023-02,"LINE\nBREAK",AMD,"Petrol\r\nHybrid",Sedan,3',
        '2023-02,\\N,,Petrol,Sedan,4',
      ]);
      const result = await ingestCars(knex, csv);
      expect(result.recordsProcessed).toBe(4);
      const rows = await knex('cars')
        .select('make', 'importer_type', 'fuel_type')
        .orderBy('number');
      expect(rows).toEqual([
        { make: 'BACK\\SLASH', importer_type: '\\N', fuel_type: 'Petrol' },
        { make: 'TAB\tMAKE', importer_type: 'PI', fuel_type: 'Petrol' },
        {
          make: 'LINE\nBREAK',
          importer_type: 'AMD',
          fuel_type: 'Petrol\r\nHybrid',
        },
        { make: '\\N', importer_type: null, fuel_type: 'Petrol' },
      ]);
    },
  );

  it.each(postgresIds)(
    'rolls the COPY back when the checksum write after it fails, and a retry loads the rows, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      await ingestCars(
        knex,
        carsCsv(carsLines.filter(line => !line.startsWith('2023-01,'))),
      );
      await logWrites(knex);
      const before = await readTableState(knex);
      // Fires only when this transaction has copied rows: had the COPY run
      // on another connection, the checksum write would go through.
      await knex.raw(`
        CREATE FUNCTION fail_after_copy() RETURNS trigger AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM write_log
                     WHERE statement = 'COPY' AND txid = txid_current()) THEN
            RAISE EXCEPTION 'injected fault after the COPY';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql`);
      await knex.raw(
        'CREATE TRIGGER checksum_fault BEFORE INSERT OR UPDATE ON sgcarstrends_checksums FOR EACH ROW EXECUTE FUNCTION fail_after_copy()',
      );

      await expect(ingestCars(knex, sampleCars)).rejects.toThrow(
        'injected fault after the COPY',
      );
      expect(await readTableState(knex)).toEqual(before);
      // The log rows of the failed run went with it.
      expect(await loggedWrites(knex)).toEqual({ writes: [], transactions: 0 });

      await knex.raw('DROP TRIGGER checksum_fault ON sgcarstrends_checksums');
      const retry = await ingestCars(knex, sampleCars);
      expect(retry.recordsProcessed).toBe(816);
      expect(await readTableState(knex)).toEqual({
        ...before,
        cars: carsLines.length,
        checksums: { [CARS_CSV]: sha256(sampleCars) },
      });
      expect(before.checksums).toEqual({
        [CARS_CSV]: sha256(
          carsCsv(carsLines.filter(line => !line.startsWith('2023-01,'))),
        ),
      });
    },
  );
});
