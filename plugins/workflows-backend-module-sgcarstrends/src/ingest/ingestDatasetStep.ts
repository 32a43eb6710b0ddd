import { WorkflowNonRetryableError } from '@upstash/workflow';
import { Knex } from 'knex';
import { DatasetId, TableIngestResult } from '../types';
import { ZipLimitError } from './extractCsv';
import { ingestDataset, IngestDatasetOptions } from './ingestDataset';

/**
 * {@link ingestDataset} as the body of a workflow step. A ZIP over one of the
 * extraction limits is refused the same way on every attempt, so the step
 * fails for good: `serve` answers 489 and QStash does not deliver it again.
 * Every other error, a failed download included, stays retryable.
 */
export async function ingestDatasetStep(
  knex: Knex,
  dataset: DatasetId,
  options: IngestDatasetOptions,
): Promise<TableIngestResult[]> {
  try {
    return await ingestDataset(knex, dataset, options);
  } catch (error) {
    if (error instanceof ZipLimitError) {
      throw new WorkflowNonRetryableError(error.message);
    }
    throw error;
  }
}
