import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** The module's knex migrations (the cars, coe, pqp and checksum tables). */
export const SGCARSTRENDS_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@internal/plugin-workflows-backend-module-sgcarstrends',
  'migrations',
);

/** Kept apart from the workflows plugin's own migration history. */
export const SGCARSTRENDS_MIGRATIONS_TABLE = 'sgcarstrends_knex_migrations';

/** Brings the module's tables up to date. */
export async function applySgcarstrendsMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: SGCARSTRENDS_MIGRATIONS_DIRECTORY,
    tableName: SGCARSTRENDS_MIGRATIONS_TABLE,
  });
}
