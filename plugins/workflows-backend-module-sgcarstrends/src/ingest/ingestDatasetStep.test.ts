import { InputError } from '@backstage/errors';
import { WorkflowNonRetryableError } from '@upstash/workflow';
import { unzipSync, zipSync } from 'fflate';
import { Knex } from 'knex';
import { http, HttpResponse } from 'msw';
import { randomBytes } from 'node:crypto';
import { setupIngestTests } from './__testUtils__/ingestTestSetup';
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
import { repeatedRows, SAMPLE_CSVS } from './__testUtils__/sampleCsvs';
import { readTableState } from './__testUtils__/tableState';
import { DEFAULT_ZIP_LIMITS, ZipLimits } from './extractCsv';
import { ingestDatasetStep } from './ingestDatasetStep';

const { databases, server, migratedDatabase } = setupIngestTests();
const ids = databases.eachSupportedId();

const MIB = 1024 * 1024;
const options = { baseUrl: TEST_LTA_BASE_URL, maxZipBytes: 20 * MIB };

/** The sample ZIPs ingested: the state a refused ZIP must leave as it was. */
async function ingestSamples(knex: Knex) {
  serveLtaZips(server, {
    [CARS_ZIP]: carsZip(SAMPLE_CSVS.cars),
    [COE_ZIP]: coeZip(SAMPLE_CSVS.coe, SAMPLE_CSVS.pqp),
  });
  await ingestDatasetStep(knex, 'cars', options);
  await ingestDatasetStep(knex, 'coe', options);
  server.resetHandlers();
  const state = await readTableState(knex);
  expect(Object.keys(state.checksums)).toHaveLength(3);
  return state;
}

/** The compressed size of the ZIP's only entry, as its central directory says. */
function compressedSizeOf(zip: Uint8Array): number {
  let size = 0;
  unzipSync(zip, {
    filter: file => {
      size = file.size;
      return false;
    },
  });
  return size;
}

interface LimitCase {
  name: string;
  dataset: 'cars' | 'coe';
  zip: () => Uint8Array;
  zipLimits: Partial<ZipLimits>;
  /** The entry and the limit the message names. */
  entry: string;
  limit: RegExp;
  /** The most of the refused entry that may be inflated before it is refused. */
  maxInflatedBytes: number;
}

// Built once: the default-limits bomb takes a second to deflate.
let zerosZip: Uint8Array | undefined;

const limitCases: LimitCase[] = [
  {
    name: 'a CSV line holding one huge value, over maxEntryMegabytes',
    dataset: 'cars',
    zip: () =>
      carsZip(
        `month,make,importer_type,fuel_type,vehicle_type,number\r\n2023-02,"${randomBytes(
          2.5 * MIB,
        ).toString('base64')}",,Petrol,Sedan,1\r\n`,
      ),
    zipLimits: { maxEntryBytes: 2 * MIB },
    entry: CARS_CSV,
    limit:
      /is larger than 2 MiB uncompressed; .* Refused by the limit workflows\.sgcarstrends\.source\.maxEntryMegabytes = 2$/,
    maxInflatedBytes: 2.1 * MIB,
  },
  {
    name: 'many valid rows, over maxEntryMegabytes',
    dataset: 'cars',
    zip: () => carsZip(repeatedRows(SAMPLE_CSVS.cars, 3 * MIB)),
    zipLimits: { maxEntryBytes: 2 * MIB },
    entry: CARS_CSV,
    limit:
      /is larger than 2 MiB uncompressed; .* Refused by the limit workflows\.sgcarstrends\.source\.maxEntryMegabytes = 2$/,
    maxInflatedBytes: 2.2 * MIB,
  },
  {
    name: 'many valid rows in two entries, over maxTotalMegabytes',
    dataset: 'coe',
    zip: () =>
      coeZip(
        repeatedRows(SAMPLE_CSVS.coe, 1.2 * MIB),
        repeatedRows(SAMPLE_CSVS.pqp, 1.2 * MIB),
      ),
    zipLimits: { maxEntryBytes: 2 * MIB, maxTotalBytes: 2 * MIB },
    entry: `COE Bidding Results/${PQP_CSV}`,
    limit:
      /takes the entries extracted from the ZIP over 2 MiB uncompressed in total .* Refused by the limit workflows\.sgcarstrends\.source\.maxTotalMegabytes = 2$/,
    maxInflatedBytes: MIB,
  },
  {
    name: 'zeros spread across several entries, over maxTotalMegabytes',
    dataset: 'coe',
    zip: () =>
      zipSync({
        'COE Bidding Results': {
          [COE_CSV]: new Uint8Array(1.5 * MIB),
          'notes.txt': new Uint8Array(8 * MIB),
          [PQP_CSV]: new Uint8Array(1.5 * MIB),
        },
        'more notes.txt': new Uint8Array(8 * MIB),
      }),
    // Only the ratio cap would refuse zeros otherwise; the notes are never inflated.
    zipLimits: {
      maxEntryBytes: 2 * MIB,
      maxTotalBytes: 2.5 * MIB,
      maxCompressionRatio: 5000,
    },
    entry: `COE Bidding Results/${PQP_CSV}`,
    limit:
      /takes the entries extracted from the ZIP over 2\.5 MiB uncompressed in total .* Refused by the limit workflows\.sgcarstrends\.source\.maxTotalMegabytes = 2\.5$/,
    maxInflatedBytes: 1.2 * MIB,
  },
  {
    name: '48 MiB of zeros, with the default limits',
    dataset: 'cars',
    zip: () => {
      zerosZip ??= zipSync({ [CARS_CSV]: new Uint8Array(48 * MIB) });
      return zerosZip;
    },
    zipLimits: {},
    entry: CARS_CSV,
    limit:
      /inflates more than 100 times its compressed size .* Refused by the limit workflows\.sgcarstrends\.source\.maxCompressionRatio = 100$/,
    maxInflatedBytes: 1.25 * MIB,
  },
];

describe('ingestDatasetStep', () => {
  describe.each(limitCases)('with $name', limitCase => {
    it.each(ids)(
      'fails for good, naming the entry and the limit, and writes nothing on %p',
      async databaseId => {
        const knex = await migratedDatabase(databaseId);
        const before = await ingestSamples(knex);
        const zip = limitCase.zip();
        serveLtaZips(server, {
          [limitCase.dataset === 'cars' ? CARS_ZIP : COE_ZIP]: zip,
        });

        const error = await ingestDatasetStep(knex, limitCase.dataset, {
          ...options,
          zipLimits: limitCase.zipLimits,
        }).catch(e => e);
        expect(error).toBeInstanceOf(WorkflowNonRetryableError);
        const zipName = limitCase.dataset === 'cars' ? CARS_ZIP : COE_ZIP;
        expect(
          error.message.startsWith(`${zipName}: entry "${limitCase.entry}" `),
        ).toBe(true);
        expect(error.message).toMatch(limitCase.limit);
        const inflated = Number(
          /stopped after inflating ([\d,]+) bytes/
            .exec(error.message)![1]
            .replace(/,/g, ''),
        );
        expect(inflated).toBeLessThanOrEqual(limitCase.maxInflatedBytes);
        expect(await readTableState(knex)).toEqual(before);
      },
    );
  });

  describe('with a compression ratio close to maxCompressionRatio', () => {
    const csv = repeatedRows(SAMPLE_CSVS.cars, 1.5 * MIB);
    const zip = carsZip(csv);
    const ratio = Buffer.byteLength(csv) / compressedSizeOf(zip);

    it('is a real file over the ratio floor, deflating about as well as the real cars file', () => {
      expect(Buffer.byteLength(csv)).toBeGreaterThan(MIB);
      expect(ratio).toBeGreaterThan(5);
      expect(ratio).toBeLessThan(DEFAULT_ZIP_LIMITS.maxCompressionRatio);
    });

    it.each(ids)('loads it just under the limit on %p', async databaseId => {
      const knex = await migratedDatabase(databaseId);
      serveLtaZips(server, { [CARS_ZIP]: zip });
      const rows = csv.split('\r\n').filter(line => line !== '').length - 1;

      const [result] = await ingestDatasetStep(knex, 'cars', {
        ...options,
        zipLimits: { maxCompressionRatio: ratio * 1.01 },
      });
      expect(result.recordsProcessed).toBe(rows);
      expect(await readTableState(knex)).toMatchObject({ cars: rows });
    });

    it.each(ids)(
      'refuses it for good just over the limit on %p',
      async databaseId => {
        const knex = await migratedDatabase(databaseId);
        const before = await ingestSamples(knex);
        serveLtaZips(server, { [CARS_ZIP]: zip });
        const limit = Math.round(ratio * 0.99 * 100) / 100;

        const error = await ingestDatasetStep(knex, 'cars', {
          ...options,
          zipLimits: { maxCompressionRatio: limit },
        }).catch(e => e);
        expect(error).toBeInstanceOf(WorkflowNonRetryableError);
        expect(error.message).toMatch(
          new RegExp(
            `^${CARS_ZIP}: entry "${CARS_CSV}" inflates more than ${limit} times its compressed size .* Refused by the limit workflows\\.sgcarstrends\\.source\\.maxCompressionRatio = ${limit}$`,
          ),
        );
        expect(await readTableState(knex)).toEqual(before);
      },
    );
  });

  describe('leaves other failures retryable', () => {
    it.each(ids)('a failed download on %p', async databaseId => {
      const knex = await migratedDatabase(databaseId);
      server.use(
        http.get(`${TEST_LTA_BASE_URL}/*`, () => HttpResponse.error()),
      );

      const error = await ingestDatasetStep(knex, 'cars', options).catch(
        e => e,
      );
      expect(error).not.toBeInstanceOf(WorkflowNonRetryableError);
      expect(error.message).toMatch(
        /^The download of https:\/\/lta\.example\.test\/.* failed: /,
      );
    });

    it.each(ids)('an HTTP 503 on %p', async databaseId => {
      const knex = await migratedDatabase(databaseId);
      server.use(
        http.get(
          `${TEST_LTA_BASE_URL}/*`,
          () => new HttpResponse(null, { status: 503 }),
        ),
      );

      const error = await ingestDatasetStep(knex, 'coe', options).catch(e => e);
      expect(error).not.toBeInstanceOf(WorkflowNonRetryableError);
      expect(error.message).toMatch(/failed: HTTP 503/);
    });

    it.each(ids)(
      'a malformed CSV, which a corrected file can then replace, on %p',
      async databaseId => {
        const knex = await migratedDatabase(databaseId);
        serveLtaZips(server, {
          [CARS_ZIP]: carsZip(
            `${SAMPLE_CSVS.cars}2023-02,AUDI,PI,Petrol,Sedan,x\r\n`,
          ),
        });

        const error = await ingestDatasetStep(knex, 'cars', options).catch(
          e => e,
        );
        expect(error).toBeInstanceOf(InputError);
        expect(error).not.toBeInstanceOf(WorkflowNonRetryableError);

        serveLtaZips(server, { [CARS_ZIP]: carsZip(SAMPLE_CSVS.cars) });
        const [retry] = await ingestDatasetStep(knex, 'cars', options);
        expect(retry.recordsProcessed).toBeGreaterThan(0);
      },
    );
  });
});
