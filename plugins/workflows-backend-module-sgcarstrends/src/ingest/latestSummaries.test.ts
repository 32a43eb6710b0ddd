import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CARS_CSV,
  CARS_ZIP,
  COE_ZIP,
  serveLtaZips,
  TEST_LTA_BASE_URL,
} from './__testUtils__/ltaServer';
import { setupIngestTests } from './__testUtils__/ingestTestSetup';
import { ingestDataset } from './ingestDataset';
import { latestCarsSummary } from './latestCarsSummary';
import { latestCoeSummary } from './latestCoeSummary';
import { buildSampleZips, SAMPLE_ASSETS_DIRECTORY } from './sampleZips';

const { databases, server, migratedDatabase } = setupIngestTests();
const options = { baseUrl: TEST_LTA_BASE_URL, maxZipBytes: 1_000_000 };

/** Totals of one month straight from the CSV text, largest first. */
function expectedTotals(month: string, columnIndex: number) {
  const totals = new Map<string, number>();
  const csv = readFileSync(join(SAMPLE_ASSETS_DIRECTORY, CARS_CSV), 'utf8');
  for (const line of csv.split('\r\n')) {
    const fields = line.split(',');
    if (fields[0] !== month) {
      continue;
    }
    const name = fields[columnIndex].replace(/\s*\/\s*/g, '/');
    totals.set(name, (totals.get(name) ?? 0) + Number(fields[5] || 0));
  }
  return [...totals]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

function coeRow(month: string, biddingNo: number, vehicleClass: string) {
  return {
    month,
    bidding_no: biddingNo,
    vehicle_class: vehicleClass,
    quota: 100 * biddingNo,
    bids_success: 90 * biddingNo,
    bids_received: 120 * biddingNo,
    premium: 1000 * biddingNo,
  };
}

describe('latest summaries', () => {
  it.each(databases.eachSupportedId())(
    'are undefined while the tables are empty on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      expect(await latestCarsSummary(knex)).toBeUndefined();
      expect(await latestCoeSummary(knex)).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'sum the newest month of car registrations by fuel and vehicle type on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      serveLtaZips(server, { [CARS_ZIP]: buildSampleZips().cars });
      await ingestDataset(knex, 'cars', options);

      const summary = await latestCarsSummary(knex);
      const byFuelType = expectedTotals('2023-01', 3);
      const byVehicleType = expectedTotals('2023-01', 4);
      expect(summary).toEqual({
        month: '2023-01',
        total: byFuelType.reduce((sum, entry) => sum + entry.count, 0),
        byFuelType,
        byVehicleType,
      });
      expect(summary?.total).toBe(1888);
      expect(summary?.byFuelType[0]).toEqual({ name: 'Petrol', count: 813 });
      expect(summary?.byVehicleType.map(entry => entry.name)).toContain(
        'Coupe/Convertible',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'take the newest COE exercise of the sample: July 2023, 1st bidding, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      serveLtaZips(server, { [COE_ZIP]: buildSampleZips().coe });
      await ingestDataset(knex, 'coe', options);

      expect(await latestCoeSummary(knex)).toEqual({
        month: '2023-07',
        biddingNo: 1,
        results: [
          {
            vehicleClass: 'Category A',
            quota: 588,
            bidsSuccess: 587,
            bidsReceived: 756,
            premium: 97000,
          },
          {
            vehicleClass: 'Category B',
            quota: 471,
            bidsSuccess: 470,
            bidsReceived: 594,
            premium: 118002,
          },
          {
            vehicleClass: 'Category C',
            quota: 77,
            bidsSuccess: 69,
            bidsReceived: 147,
            premium: 82223,
          },
          {
            vehicleClass: 'Category D',
            quota: 579,
            bidsSuccess: 550,
            bidsReceived: 846,
            premium: 10090,
          },
          {
            vehicleClass: 'Category E',
            quota: 130,
            bidsSuccess: 119,
            bidsReceived: 217,
            premium: 121000,
          },
        ],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'order COE exercises by month and then bidding number on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      // Stored out of order: the 1st exercise of the newest month last, an
      // older month with a higher bidding number, categories shuffled.
      await knex('coe').insert([
        coeRow('2023-08', 2, 'Category B'),
        coeRow('2023-08', 2, 'Category A'),
        coeRow('2023-07', 2, 'Category A'),
        coeRow('2023-08', 1, 'Category A'),
        coeRow('2023-08', 1, 'Category B'),
      ]);
      expect(await latestCoeSummary(knex)).toEqual({
        month: '2023-08',
        biddingNo: 2,
        results: [
          {
            vehicleClass: 'Category A',
            quota: 200,
            bidsSuccess: 180,
            bidsReceived: 240,
            premium: 2000,
          },
          {
            vehicleClass: 'Category B',
            quota: 200,
            bidsSuccess: 180,
            bidsReceived: 240,
            premium: 2000,
          },
        ],
      });
    },
  );
});
