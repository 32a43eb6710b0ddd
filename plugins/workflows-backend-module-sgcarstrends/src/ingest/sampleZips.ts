import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_SOURCES } from './datasets';

/** Sample CSVs cut from the real LTA files (see assets/README.md). */
export const SAMPLE_ASSETS_DIRECTORY = resolvePackagePath(
  '@internal/plugin-workflows-backend-module-sgcarstrends',
  'assets',
);

/** The folder LTA puts the COE CSVs in, inside the COE ZIP. */
const COE_ZIP_FOLDER = 'COE Bidding Results';

function readSampleCsv(fileName: string): Uint8Array {
  return readFileSync(join(SAMPLE_ASSETS_DIRECTORY, fileName));
}

/**
 * The two dataset ZIPs built in memory from the sample CSVs, laid out like
 * the live downloads: the cars CSV at the root, the COE CSVs in a folder.
 */
export function buildSampleZips(): { cars: Uint8Array; coe: Uint8Array } {
  const cars = Object.fromEntries(
    DATASET_SOURCES.cars.csvFiles.map(file => [
      file.fileName,
      readSampleCsv(file.fileName),
    ]),
  );
  const coe = Object.fromEntries(
    DATASET_SOURCES.coe.csvFiles.map(file => [
      file.fileName,
      readSampleCsv(file.fileName),
    ]),
  );
  return {
    cars: zipSync(cars),
    coe: zipSync({ [COE_ZIP_FOLDER]: coe }),
  };
}
