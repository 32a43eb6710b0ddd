import {
  registerMswTestHooks,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import type { Knex } from 'knex';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { createServer } from 'node:net';
import { applySgcarstrendsMigrations } from '../../ingest/migrations';
import type { FetchFn } from '../SocialPlatform';
import { SOCIAL_POSTS_TABLE } from '../socialPostsLedger';

/**
 * What the social test files start from: both test databases and an MSW
 * server for the platforms' APIs. Call it at the top level of the file, since
 * it registers the MSW hooks. Requests to 127.0.0.1 go to the real network.
 */
export function setupSocialTests() {
  const databases = createTestDatabases();
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(http.all(/^http:\/\/127\.0\.0\.1[:/]/, () => passthrough()));
  });

  /** A fresh test database with all the module's tables. */
  async function migratedDatabase(databaseId: TestDatabaseId): Promise<Knex> {
    const knex = await databases.init(databaseId);
    await applySgcarstrendsMigrations(knex);
    return knex;
  }

  return { databases, server, migratedDatabase };
}

/**
 * The real fetch with a shorter deadline on top of the clients' own 30 s:
 * lets a test see a timeout without waiting for the production one.
 */
export function fetchWithTimeout(timeoutMs: number): FetchFn {
  return (input, init) =>
    fetch(input, {
      ...init,
      signal: init?.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs),
    });
}

/**
 * The real fetch, sent to `origin` instead of the platform (same path and
 * query): to meet real socket failures such as a refused connection.
 */
export function fetchSentTo(origin: string): FetchFn {
  return (input, init) => {
    const url = new URL(
      typeof input === 'string' || input instanceof URL ? input : input.url,
    );
    return fetch(`${origin}${url.pathname}${url.search}`, init);
  };
}

/** A local port that nothing listens on: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>(resolve => probe.close(() => resolve()));
  if (!address || typeof address === 'string') {
    throw new Error('Could not find a free local port');
  }
  return address.port;
}

/** The ledger rows, with the columns that tests compare. */
export async function ledgerRows(knex: Knex) {
  const rows = await knex(SOCIAL_POSTS_TABLE)
    .select(
      'platform',
      'dataset',
      'period',
      'status',
      'post_id',
      'message_text',
      'dry_run',
    )
    .orderBy('id');
  return rows.map(row => ({ ...row, dry_run: Boolean(row.dry_run) }));
}
