import {
  registerMswTestHooks,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import { Knex } from 'knex';
import { setupServer } from 'msw/node';
import { createHash } from 'node:crypto';
import { applySgcarstrendsMigrations } from '../migrations';

/**
 * What every ingest test file starts from: the test databases and an MSW
 * server that stands in for LTA. Call it at the top level of the file, since
 * it registers the MSW hooks.
 */
export function setupIngestTests() {
  const databases = createTestDatabases();
  const server = setupServer();
  registerMswTestHooks(server);

  /** A fresh test database with the sgcarstrends tables. */
  async function migratedDatabase(databaseId: TestDatabaseId): Promise<Knex> {
    const knex = await databases.init(databaseId);
    await applySgcarstrendsMigrations(knex);
    return knex;
  }

  return { databases, server, migratedDatabase };
}

/** The checksum the ingest stores for a CSV text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
