import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-workflows-backend',
  'migrations',
);

/** Brings the plugin's tables up to date, unless the operator manages them. */
export async function applyDatabaseMigrations(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({
      directory: migrationsDir,
      tableName: 'workflows_knex_migrations',
    });
  }
  return client;
}

/** The migrations folder, for tests that step through migrations. */
export const MIGRATIONS_DIRECTORY = migrationsDir;
