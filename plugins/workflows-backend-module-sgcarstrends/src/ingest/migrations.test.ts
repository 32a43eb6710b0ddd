import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import { applySgcarstrendsMigrations } from './migrations';

const databases = createTestDatabases();

/**
 * better-sqlite3's errors are not real Error objects, so once jest shares the
 * native module between test files `rejects.toThrow` no longer sees them.
 */
const duplicateKeyError = {
  message: expect.stringMatching(/unique|duplicate/i),
};

const carsRow = {
  month: '2020-01',
  make: 'AUDI',
  importer_type: null,
  fuel_type: 'Petrol',
  vehicle_type: 'Sedan',
  number: 1,
};

describe('applySgcarstrendsMigrations', () => {
  it.each(databases.eachSupportedId())(
    'creates the tables in their own migration history on %p, and a second run changes nothing',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applySgcarstrendsMigrations(knex);
      await applySgcarstrendsMigrations(knex);

      for (const table of ['cars', 'coe', 'pqp', 'sgcarstrends_checksums']) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      const applied = await knex('sgcarstrends_knex_migrations').select('name');
      expect(applied.map(row => row.name)).toContain(
        '20261125100000_sgcarstrends_tables.js',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'treats a NULL importer type as equal in the cars key on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applySgcarstrendsMigrations(knex);

      await knex('cars').insert(carsRow);
      await expect(knex('cars').insert(carsRow)).rejects.toMatchObject(
        duplicateKeyError,
      );
      // Other importer types are other registrations.
      await knex('cars').insert({ ...carsRow, importer_type: 'AMD' });
      await knex('cars').insert({ ...carsRow, importer_type: 'PI' });
      await expect(
        knex('cars').insert({ ...carsRow, importer_type: 'PI' }),
      ).rejects.toMatchObject(duplicateKeyError);

      const rows = await knex('cars')
        .select('importer_type')
        .orderBy('importer_type');
      expect(rows.map(row => row.importer_type).sort()).toEqual(
        ['AMD', 'PI', null].sort(),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'keys COE results by month, exercise and category and PQP by month and category on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applySgcarstrendsMigrations(knex);
      const coe = {
        month: '2023-07',
        bidding_no: 1,
        vehicle_class: 'Category A',
        quota: 1,
        bids_success: 1,
        bids_received: 1,
        premium: 1,
      };
      await knex('coe').insert(coe);
      await knex('coe').insert({ ...coe, bidding_no: 2 });
      await expect(knex('coe').insert(coe)).rejects.toMatchObject(
        duplicateKeyError,
      );

      const pqp = { month: '2023-07', vehicle_class: 'Category A', pqp: 1 };
      await knex('pqp').insert(pqp);
      await expect(
        knex('pqp').insert({ ...pqp, pqp: 2 }),
      ).rejects.toMatchObject(duplicateKeyError);
    },
  );
});
