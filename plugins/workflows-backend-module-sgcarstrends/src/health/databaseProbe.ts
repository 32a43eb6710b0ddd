import type { HealthProbe } from '@internal/plugin-workflows-node';
import type { Knex } from 'knex';

/**
 * The database the car and COE tables are written to: the one configured
 * in `workflows.sgcarstrends.database`, else the plugin's own.
 */
export function dataDatabaseProbe(options: {
  database(): Promise<Knex>;
  configured: boolean;
}): HealthProbe {
  const where = options.configured
    ? 'workflows.sgcarstrends.database'
    : 'the plugin database';
  return {
    id: 'database',
    title: `Database of the car and COE tables (${where})`,
    async probe() {
      try {
        const db = await options.database();
        await db.raw('select 1');
        return {
          verdict: 'ok',
          message: `${where} (${String(db.client.config.client)}) answered`,
        };
      } catch (error) {
        return {
          verdict: 'failing',
          message: `${where} did not answer: ${(error as Error).message}`,
          fix: options.configured
            ? 'check workflows.sgcarstrends.database (connection, user, password) and that the server is up'
            : 'check backend.database in the app config and that the server is up',
        };
      }
    },
  };
}
