import {
  ltaFixturesAvailable,
  readLtaFixture,
} from './__testUtils__/ltaFixtures';
import {
  CARS_ZIP,
  carsZip,
  COE_ZIP,
  coeZip,
  serveLtaZips,
  TEST_LTA_BASE_URL,
} from './__testUtils__/ltaServer';
import { setupIngestTests } from './__testUtils__/ingestTestSetup';
import { readTableState } from './__testUtils__/tableState';
import { ingestDataset } from './ingestDataset';
import { latestCarsSummary } from './latestCarsSummary';
import { latestCoeSummary } from './latestCoeSummary';

const { databases, server, migratedDatabase } = setupIngestTests();
const options = { baseUrl: TEST_LTA_BASE_URL, maxZipBytes: 5_000_000 };

// Throws when CI is set and the folder is missing; otherwise skips below.
const describeWithFixtures = ltaFixturesAvailable() ? describe : describe.skip;

/** Lines split on the raw text; the files hold no quoted line breaks. */
function dataLines(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter(line => line !== '')
    .map(line => line.split(','));
}

/**
 * The number of distinct car registrations, worked out on the raw text
 * without the CSV parser: the cleaned key of every line in a Set.
 */
function distinctCarKeys(text: string): number {
  expect(text).not.toContain('"');
  const keys = new Set(
    dataLines(text).map(([month, make, importer, fuel, vehicle]) =>
      [
        month,
        make.split('.').join('').trim().toUpperCase(),
        importer,
        fuel,
        vehicle.replace(/ *\/ */g, '/'),
      ].join('|'),
    ),
  );
  return keys.size;
}

function distinctKeys(text: string, keyFields: number): number {
  return new Set(
    dataLines(text).map(fields => fields.slice(0, keyFields).join('|')),
  ).size;
}

describeWithFixtures(
  'ingestDataset with the real LTA files from ../shared/fixtures/lta',
  () => {
    const carsText = () =>
      readLtaFixture('M03-Car_Regn_by_make.csv').toString('utf8');
    const coeText = () =>
      readLtaFixture('M11-coe_results.csv').toString('utf8');
    const pqpText = () =>
      readLtaFixture('M11-coe_results_pqp.csv').toString('utf8');

    it.each(databases.eachSupportedId())(
      'loads every cleaned car registration once on %p',
      async databaseId => {
        const knex = await migratedDatabase(databaseId);
        const text = carsText();
        const expectedRows = distinctCarKeys(text);
        expect(expectedRows).toBe(38013);
        serveLtaZips(server, { [CARS_ZIP]: carsZip(text) });

        const [first] = await ingestDataset(knex, 'cars', options);
        expect(first.recordsProcessed).toBe(expectedRows);
        expect((await readTableState(knex)).cars).toBe(38013);

        const bmwLines = dataLines(text).filter(f => f[1] === 'B.M.W.');
        const bmw = await knex('cars').where({ make: 'BMW' }).count({ n: '*' });
        expect(Number(bmw[0].n)).toBe(bmwLines.length);
        expect(bmwLines.length).toBe(1684);
        expect(await knex('cars').where('make', 'like', '%.%')).toEqual([]);
        // `Mclaren` in the early years, `MCLAREN` later: one make.
        const mclaren = await knex('cars')
          .where({ make: 'MCLAREN' })
          .count({ n: '*' });
        expect(Number(mclaren[0].n)).toBe(
          dataLines(text).filter(f => f[1].toUpperCase() === 'MCLAREN').length,
        );
        expect(await knex('cars').where({ make: 'Mclaren' })).toEqual([]);
        expect(
          await knex('cars')
            .where('vehicle_type', 'like', '% /%')
            .orWhere('vehicle_type', 'like', '%/ %'),
        ).toEqual([]);

        const before = await readTableState(knex);
        const [second] = await ingestDataset(knex, 'cars', options);
        expect(second.recordsProcessed).toBe(0);
        expect(await readTableState(knex)).toEqual(before);
      },
    );

    it.each(databases.eachSupportedId())(
      'adds only the rows of the newest month when it appears on %p',
      async databaseId => {
        const knex = await migratedDatabase(databaseId);
        const text = carsText();
        const lines = text.split('\r\n');
        const withoutLastMonth = lines
          .filter(line => !line.startsWith('2023-09,'))
          .join('\r\n');
        const newMonthRows = lines.filter(line =>
          line.startsWith('2023-09,'),
        ).length;
        expect(newMonthRows).toBe(684);

        serveLtaZips(server, { [CARS_ZIP]: carsZip(withoutLastMonth) });
        const [earlier] = await ingestDataset(knex, 'cars', options);
        expect(earlier.recordsProcessed).toBe(38013 - newMonthRows);

        serveLtaZips(server, { [CARS_ZIP]: carsZip(text) });
        const [later] = await ingestDataset(knex, 'cars', options);
        expect(later.recordsProcessed).toBe(newMonthRows);
        expect((await readTableState(knex)).cars).toBe(38013);

        const summary = await latestCarsSummary(knex);
        const septemberTotal = dataLines(text)
          .filter(fields => fields[0] === '2023-09')
          .reduce((sum, fields) => sum + Number(fields[5] || 0), 0);
        expect(summary?.month).toBe('2023-09');
        expect(summary?.total).toBe(septemberTotal);
      },
    );

    it.each(databases.eachSupportedId())(
      'loads every COE result and PQP once and finds the latest exercise on %p',
      async databaseId => {
        const knex = await migratedDatabase(databaseId);
        const coe = coeText();
        const pqp = pqpText();
        // month, bidding_no, vehicle_class come before the quoted column.
        expect(distinctKeys(coe, 3)).toBe(1595);
        expect(distinctKeys(pqp, 2)).toBe(648);
        serveLtaZips(server, { [COE_ZIP]: coeZip(coe, pqp) });

        const first = await ingestDataset(knex, 'coe', options);
        expect(first.map(r => [r.table, r.recordsProcessed])).toEqual([
          ['coe', 1595],
          ['pqp', 648],
        ]);
        expect(await readTableState(knex)).toMatchObject({
          coe: 1595,
          pqp: 648,
        });

        const second = await ingestDataset(knex, 'coe', options);
        expect(second.map(r => r.recordsProcessed)).toEqual([0, 0]);
        expect(await readTableState(knex)).toMatchObject({
          coe: 1595,
          pqp: 648,
        });

        const latest = await latestCoeSummary(knex);
        expect(latest?.month).toBe('2023-07');
        expect(latest?.biddingNo).toBe(1);
        expect(latest?.results.map(r => [r.vehicleClass, r.premium])).toEqual([
          ['Category A', 97000],
          ['Category B', 118002],
          ['Category C', 82223],
          ['Category D', 10090],
          ['Category E', 121000],
        ]);
      },
    );
  },
);
