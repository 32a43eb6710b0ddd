import { ConfigReader } from '@backstage/config';
import { WorkflowNonRetryableError } from '@upstash/workflow';
import { http, HttpResponse } from 'msw';
import { setupIngestTests } from '../ingest/__testUtils__/ingestTestSetup';
import {
  CARS_ZIP,
  carsZip,
  serveLtaZips,
  TEST_LTA_BASE_URL,
} from '../ingest/__testUtils__/ltaServer';
import { repeatedRows, SAMPLE_CSVS } from '../ingest/__testUtils__/sampleCsvs';
import { readTableState } from '../ingest/__testUtils__/tableState';
import { createDatasetRunner } from './datasetRunner';
import { readRunnerSettings } from './runnerSettings';

const { databases, server, migratedDatabase } = setupIngestTests();

/** Runs each step once, as one QStash delivery would, recording its name. */
function recordingContext(steps: string[]) {
  const context = {
    async run<T>(name: string, step: () => Promise<T>): Promise<T> {
      steps.push(name);
      return step();
    },
  };
  // Only `run` is used by the dataset runners; the rest of the context is QStash's.
  return context as unknown as Parameters<
    ReturnType<typeof createDatasetRunner>['run']
  >[0];
}

function carsRunner(knex: Parameters<typeof readTableState>[0]) {
  const runner = createDatasetRunner('cars', {
    settings: readRunnerSettings(
      new ConfigReader({
        workflows: {
          sgcarstrends: {
            source: { baseUrl: TEST_LTA_BASE_URL, maxEntryMegabytes: 1 },
            social: { dryRun: true },
          },
        },
      }),
    ),
    database: async () => knex,
    samples: async () => {
      throw new Error('The bundled samples are not used here');
    },
    env: {},
  });
  const steps: string[] = [];
  /** The error the run fails with. */
  const failure = (): Promise<Error> =>
    runner
      .run(
        recordingContext(steps),
        // The dataset runners use no runner services.
        {} as Parameters<typeof runner.run>[1],
      )
      .then(
        result => {
          throw new Error(`The run succeeded: ${JSON.stringify(result)}`);
        },
        (error: Error) => error,
      );
  return { failure, steps };
}

describe('the Processing "cars" data step', () => {
  it.each(databases.eachSupportedId())(
    'fails for good on a CSV over the configured maxEntryMegabytes, writing nothing, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      serveLtaZips(server, {
        [CARS_ZIP]: carsZip(repeatedRows(SAMPLE_CSVS.cars, 1.5 * 1024 * 1024)),
      });
      const { failure, steps } = carsRunner(knex);

      const error = await failure();
      expect(error).toBeInstanceOf(WorkflowNonRetryableError);
      expect(error.message).toMatch(
        /^Monthly New Registration of Cars by Make\.zip: entry "M03-Car_Regn_by_make\.csv" is larger than 1 MiB uncompressed; .* Refused by the limit workflows\.sgcarstrends\.source\.maxEntryMegabytes = 1$/,
      );
      expect(steps).toEqual(['Processing "cars" data']);
      expect(await readTableState(knex)).toEqual({
        cars: 0,
        coe: 0,
        pqp: 0,
        checksums: {},
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'stays retryable when the download fails, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      server.use(
        http.get(`${TEST_LTA_BASE_URL}/*`, () => HttpResponse.error()),
      );
      const { failure, steps } = carsRunner(knex);

      const error = await failure();
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(WorkflowNonRetryableError);
      expect(error.message).toMatch(/^The download of .* failed: /);
      expect(steps).toEqual(['Processing "cars" data']);
    },
  );
});
