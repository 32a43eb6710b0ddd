import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/** The id under which `npm test` hands the PostgreSQL server to jest. */
export const POSTGRES_TEST_ID: TestDatabaseId = 'POSTGRES_17';
const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING';

/**
 * PostgreSQL and SQLite, both required: a missing PostgreSQL is an error,
 * never a silent SQLite-only run.
 */
export function createTestDatabases(): TestDatabases {
  if (!process.env[POSTGRES_ENV]) {
    throw new Error(
      `${POSTGRES_ENV} is not set. Run the tests with "npm test", which starts or finds PostgreSQL and sets it.`,
    );
  }
  return TestDatabases.create({
    ids: [POSTGRES_TEST_ID, 'SQLITE_3'],
    disableDocker: true,
  });
}
