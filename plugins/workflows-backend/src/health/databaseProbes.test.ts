import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import { databaseUrlProbe, pluginDatabaseProbe } from './databaseProbes';
import { runProbe } from './probeRunner';
import { secretValues } from './secretValues';

const POSTGRES_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING!;
const databases = createTestDatabases();

function withPassword(url: string, password: string, port?: number): string {
  const parsed = new URL(url);
  parsed.password = password;
  if (port) parsed.port = String(port);
  return parsed.toString();
}

const run = (probe: Parameters<typeof runProbe>[0], secrets: string[] = []) =>
  runProbe(probe, {
    timeoutMs: 5_000,
    probePlatforms: false,
    secrets: secretValues(secrets),
  });

describe('DATABASE_URL', () => {
  it('is ok when PostgreSQL at the URL answers', async () => {
    const result = await run(databaseUrlProbe({ DATABASE_URL: POSTGRES_URL }));
    expect(result).toMatchObject({
      id: 'database',
      title: 'Database (DATABASE_URL)',
      verdict: 'ok',
      message: 'PostgreSQL at DATABASE_URL answered',
    });
  });

  it('is failing when nothing answers there, and never says the password', async () => {
    // Nothing listens on port 1.
    const url = withPassword(POSTGRES_URL, 'pw-s3cr3t/+', 1);
    const result = await run(databaseUrlProbe({ DATABASE_URL: url }), [url]);
    expect(result.verdict).toBe('failing');
    expect(result.message).toMatch(
      /^PostgreSQL at DATABASE_URL did not answer/,
    );
    expect(result.fix).toMatch(/check DATABASE_URL/);
    const text = JSON.stringify(result);
    expect(text).not.toContain('pw-s3cr3t');
    expect(text).not.toContain(encodeURIComponent('pw-s3cr3t/+'));
  });

  it('is failing for a database that does not exist', async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = '/no_such_database_for_health';
    const result = await run(
      databaseUrlProbe({ DATABASE_URL: url.toString() }),
    );
    expect(result.verdict).toBe('failing');
    expect(result.message).toContain('no_such_database_for_health');
  });

  it('does not probe what is not a PostgreSQL URL, or nothing at all', async () => {
    expect(
      await run(databaseUrlProbe({ DATABASE_URL: 'mysql://db/cars' })),
    ).toMatchObject({ verdict: 'not-probed' });
    expect(await run(databaseUrlProbe({}))).toMatchObject({
      verdict: 'not-probed',
      message: 'not probed: DATABASE_URL is not set',
    });
  });
});

describe('the plugin database', () => {
  it.each(databases.eachSupportedId())(
    'answers on %p, then not once closed',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const probe = pluginDatabaseProbe({
        ping: async () => {
          await knex.raw('select 1');
        },
        client: String(knex.client.config.client),
      });
      expect(await run(probe)).toMatchObject({ verdict: 'ok' });
      await knex.destroy();
      expect(await run(probe)).toMatchObject({
        verdict: 'failing',
        message: expect.stringMatching(
          /^the plugin database \(.+\) did not answer/,
        ),
      });
    },
  );
});
