import type { HealthProbe } from '@internal/plugin-workflows-node';
import knexFactory from 'knex';
import { formatProblem } from './envVarFormats';

const TITLE = 'Database';

/** The plugin's own database, where every workflow's runs are recorded. */
export function pluginDatabaseProbe(options: {
  ping(): Promise<void>;
  /** `pg`, `better-sqlite3`, ... */
  client: string;
}): HealthProbe {
  return {
    id: 'database',
    title: `${TITLE} (the plugin database)`,
    async probe() {
      try {
        await options.ping();
        return {
          verdict: 'ok',
          message: `the plugin database (${options.client}) answered`,
        };
      } catch (error) {
        return {
          verdict: 'failing',
          message: `the plugin database (${options.client}) did not answer: ${
            (error as Error).message
          }`,
          fix: 'check backend.database in the app config and that the database server is up',
        };
      }
    },
  };
}

/**
 * The PostgreSQL database a workflow names in DATABASE_URL: connects, asks
 * `select 1` and disconnects, read at probe time so a changed value counts.
 */
export function databaseUrlProbe(
  env: Readonly<Record<string, string | undefined>>,
): HealthProbe {
  return {
    id: 'database',
    title: `${TITLE} (DATABASE_URL)`,
    async probe({ signal }) {
      const url = env.DATABASE_URL?.trim();
      if (!url) {
        return {
          verdict: 'not-probed',
          message: 'not probed: DATABASE_URL is not set',
          fix: 'set DATABASE_URL',
        };
      }
      if (formatProblem('postgres-url', url)) {
        return {
          verdict: 'not-probed',
          message:
            'not probed: only postgres:// and postgresql:// URLs can be probed',
        };
      }
      const db = knexFactory({
        client: 'pg',
        connection: url,
        pool: { min: 0, max: 1 },
        acquireConnectionTimeout: 10_000,
        // The failure is the probe's answer; knex would also print it to the console.
        log: { warn() {}, error() {}, deprecate() {}, debug() {} },
      });
      // A probe that timed out must not leave a connection behind.
      const close = () => db.destroy().catch(() => {});
      signal.addEventListener('abort', close, { once: true });
      try {
        await db.raw('select 1');
        return {
          verdict: 'ok',
          message: 'PostgreSQL at DATABASE_URL answered',
        };
      } catch (error) {
        return {
          verdict: 'failing',
          message: `PostgreSQL at DATABASE_URL did not answer: ${
            (error as Error).message
          }`,
          fix: 'check DATABASE_URL (host, port, database, user and password) and that the server accepts connections from this backend',
        };
      } finally {
        signal.removeEventListener('abort', close);
        await close();
      }
    },
  };
}
