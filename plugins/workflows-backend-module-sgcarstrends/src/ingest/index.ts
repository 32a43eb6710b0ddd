/**
 * Download, cleaning and loading of the LTA datasets, and the queries the
 * runners post from.
 */
export {
  applySgcarstrendsMigrations,
  SGCARSTRENDS_MIGRATIONS_DIRECTORY,
  SGCARSTRENDS_MIGRATIONS_TABLE,
} from './migrations';
export { fetchZip } from './fetchZip';
export type { FetchZipOptions } from './fetchZip';
export { DEFAULT_ZIP_LIMITS, extractCsvFiles } from './extractCsv';
export type { ZipLimits } from './extractCsv';
export { ingestDataset } from './ingestDataset';
export { ingestDatasetStep } from './ingestDatasetStep';
export type { IngestDatasetOptions } from './ingestDataset';
export {
  DATASET_SOURCES,
  LTA_VEHICLE_REGISTRATION_BASE_URL,
  datasetZipUrl,
} from './datasets';
export type { DatasetCsv, DatasetSource } from './datasets';
export { latestCarsSummary } from './latestCarsSummary';
export { latestCoeSummary } from './latestCoeSummary';
export { buildSampleZips, SAMPLE_ASSETS_DIRECTORY } from './sampleZips';
