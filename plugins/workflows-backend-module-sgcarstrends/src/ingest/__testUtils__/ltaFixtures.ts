import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPOSITORY_ROOT = resolve(
  resolvePackagePath('@internal/plugin-workflows-backend-module-sgcarstrends'),
  '..',
  '..',
);

/** The real LTA files live next to the repository, never inside it. */
export const LTA_FIXTURES_DIRECTORY = resolve(
  REPOSITORY_ROOT,
  '..',
  'shared',
  'fixtures',
  'lta',
);

export const LTA_FIXTURE_FILES = [
  'M03-Car_Regn_by_make.csv',
  'M11-coe_results.csv',
  'M11-coe_results_pqp.csv',
] as const;

export type LtaFixtureFile = (typeof LTA_FIXTURE_FILES)[number];

/**
 * Whether the real LTA files are present. Outside CI their absence only skips
 * the tests that need them; in CI (`CI` set) it is an error, so a missing
 * folder can never pass unnoticed.
 */
export function ltaFixturesAvailable(): boolean {
  const missing = LTA_FIXTURE_FILES.filter(
    file => !existsSync(join(LTA_FIXTURES_DIRECTORY, file)),
  );
  if (missing.length === 0) {
    return true;
  }
  const message = `The real LTA files are expected in ../shared/fixtures/lta next to the repository (${LTA_FIXTURES_DIRECTORY}); missing: ${missing.join(
    ', ',
  )}`;
  const ci = process.env.CI;
  if (ci && ci !== 'false' && ci !== '0') {
    throw new Error(`${message}. They are required when CI is set.`);
  }
  // eslint-disable-next-line no-console
  console.warn(`${message}. Skipping the tests that ingest them.`);
  return false;
}

export function readLtaFixture(file: LtaFixtureFile): Buffer {
  return readFileSync(join(LTA_FIXTURES_DIRECTORY, file));
}
