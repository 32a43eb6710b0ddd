import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import type { Knex } from 'knex';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { resolve } from 'node:path';
import { discordPlatform } from './platforms/discord';
import { SocialPlatformError } from './platforms/SocialPlatformError';
import { twitterPlatform } from './platforms/twitter';
import { PublishInProgressError } from './PublishInProgressError';
import { publishOnce, PublishOnceRequest } from './publishOnce';
import { recordDryRun, SOCIAL_POSTS_TABLE } from './socialPostsLedger';

const databases = createTestDatabases();

const MIGRATIONS = {
  directory: resolve(__dirname, '../../migrations'),
  tableName: 'sgcarstrends_knex_migrations',
};
const MIGRATION_NAME = '20261125200000_social_posts.js';

const WEBHOOK_URL = 'https://discord.com/api/webhooks/1/ledger-test-token';
const env = { DISCORD_WEBHOOK_URL: WEBHOOK_URL };
const TEXT = 'Updated car registration data for 2024-05\n\nhttps://e.com/cars';

async function migratedDatabase(id: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(id);
  await knex.migrate.up({ ...MIGRATIONS, name: MIGRATION_NAME });
  return knex;
}

function request(
  overrides: Partial<PublishOnceRequest> = {},
): PublishOnceRequest {
  return {
    platform: discordPlatform,
    dataset: 'cars',
    period: '2024-05',
    text: TEXT,
    dryRun: false,
    env,
    ...overrides,
  };
}

async function ledgerRows(knex: Knex) {
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

describe('publishOnce', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  /** Discord replies with the given statuses in turn (then 200); counts the calls. */
  function discordReplies(...statuses: number[]) {
    const calls = { count: 0 };
    server.use(
      http.post(WEBHOOK_URL, () => {
        calls.count += 1;
        const status = statuses[calls.count - 1] ?? 200;
        return status === 200
          ? HttpResponse.json({ id: `message-${calls.count}` })
          : HttpResponse.json({ message: 'Internal error' }, { status });
      }),
    );
    return calls;
  }

  it.each(databases.eachSupportedId())(
    'posts once; a replayed step makes no HTTP call and reports already-posted (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const calls = discordReplies(200);

      await expect(publishOnce(knex, request())).resolves.toEqual({
        status: 'posted',
        postId: 'message-1',
        url: undefined,
      });
      await expect(publishOnce(knex, request())).resolves.toMatchObject({
        status: 'already-posted',
        postId: 'message-1',
        reason: expect.stringMatching(/^Already posted to Discord at \d{4}-/),
      });

      expect(calls.count).toBe(1);
      expect(await ledgerRows(knex)).toEqual([
        {
          platform: 'discord',
          dataset: 'cars',
          period: '2024-05',
          status: 'posted',
          post_id: 'message-1',
          message_text: TEXT,
          dry_run: false,
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'a 500 throws and records nothing; the retry posts exactly once (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const calls = discordReplies(500, 200);

      const failure = await publishOnce(knex, request()).catch(e => e);
      expect(failure).toBeInstanceOf(SocialPlatformError);
      expect(failure.message).toMatch(
        /^Discord refused to post the message: HTTP 500/,
      );
      expect(await ledgerRows(knex)).toEqual([]);

      await expect(publishOnce(knex, request())).resolves.toMatchObject({
        status: 'posted',
        postId: 'message-2',
      });
      await expect(publishOnce(knex, request())).resolves.toMatchObject({
        status: 'already-posted',
      });
      expect(calls.count).toBe(2);
      expect(await ledgerRows(knex)).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'a platform without its env vars is not configured: names the variables, never values, records nothing (%p)',
    async id => {
      const knex = await migratedDatabase(id);

      await expect(publishOnce(knex, request({ env: {} }))).resolves.toEqual({
        status: 'not-configured',
        reason: 'Discord is not configured: missing DISCORD_WEBHOOK_URL',
      });

      const partial = await publishOnce(
        knex,
        request({
          platform: twitterPlatform,
          env: {
            TWITTER_APP_KEY: 'visible-app-key',
            TWITTER_ACCESS_TOKEN: ' ',
          },
        }),
      );
      expect(partial).toEqual({
        status: 'not-configured',
        reason:
          'Twitter is not configured: missing TWITTER_APP_SECRET, TWITTER_ACCESS_TOKEN, TWITTER_ACCESS_SECRET',
      });
      expect(partial.reason).not.toContain('visible-app-key');
      expect(await ledgerRows(knex)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'a dry run without credentials still records the message and says what is missing (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const calls = discordReplies(200);
      await expect(
        publishOnce(knex, request({ dryRun: true, env: {} })),
      ).resolves.toEqual({
        status: 'dry-run',
        reason:
          'Dry run: message recorded, nothing sent to Discord (not configured: missing DISCORD_WEBHOOK_URL)',
      });
      expect(calls.count).toBe(0);
      expect(await ledgerRows(knex)).toEqual([
        expect.objectContaining({ status: 'dry-run', message_text: TEXT }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'a dry run records the message and sends nothing; a later real run still posts (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const calls = discordReplies(200);

      await expect(
        publishOnce(knex, request({ dryRun: true, text: 'rehearsal' })),
      ).resolves.toEqual({
        status: 'dry-run',
        reason: 'Dry run: message recorded, nothing sent to Discord',
      });
      // A second rehearsal replaces the first.
      await expect(
        publishOnce(knex, request({ dryRun: true })),
      ).resolves.toMatchObject({ status: 'dry-run' });
      expect(calls.count).toBe(0);
      expect(await ledgerRows(knex)).toEqual([
        {
          platform: 'discord',
          dataset: 'cars',
          period: '2024-05',
          status: 'dry-run',
          post_id: null,
          message_text: TEXT,
          dry_run: true,
        },
      ]);

      await expect(publishOnce(knex, request())).resolves.toMatchObject({
        status: 'posted',
        postId: 'message-1',
      });
      expect(await ledgerRows(knex)).toEqual([
        expect.objectContaining({
          status: 'posted',
          post_id: 'message-1',
          dry_run: false,
        }),
      ]);

      // Once really posted, a dry run reports what a real run would do.
      await expect(
        publishOnce(knex, request({ dryRun: true })),
      ).resolves.toMatchObject({
        status: 'already-posted',
        postId: 'message-1',
      });
      expect(calls.count).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'a rehearsal that races a real post never overwrites it (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      discordReplies(200);
      await publishOnce(knex, request());

      // The dry run's own write, as if its earlier read had seen no row.
      await recordDryRun(
        knex,
        { platform: 'discord', dataset: 'cars', period: '2024-05' },
        'late-rehearsal',
        'rehearsal text',
      );
      expect(await ledgerRows(knex)).toEqual([
        expect.objectContaining({
          status: 'posted',
          post_id: 'message-1',
          message_text: TEXT,
          dry_run: false,
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'two concurrent deliveries of the same step post once (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      let calls = 0;
      server.use(
        http.post(WEBHOOK_URL, async () => {
          calls += 1;
          await delay(300);
          return HttpResponse.json({ id: 'only-one' });
        }),
      );

      const outcomes = await Promise.allSettled([
        publishOnce(knex, request()),
        publishOnce(knex, request()),
      ]);

      expect(calls).toBe(1);
      const posted = outcomes.filter(
        o => o.status === 'fulfilled' && o.value.status === 'posted',
      );
      const inProgress = outcomes.filter(
        o =>
          o.status === 'rejected' && o.reason instanceof PublishInProgressError,
      );
      expect(posted).toHaveLength(1);
      expect(inProgress).toHaveLength(1);
      // The retry of the loser finds the winner's post.
      await expect(publishOnce(knex, request())).resolves.toMatchObject({
        status: 'already-posted',
        postId: 'only-one',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'a crash between publishing and recording never leads to a second post (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const calls = discordReplies(200);
      const claimedAt = new Date(Date.now() - 10 * 60_000);
      // What a process that died mid-publish leaves behind.
      await knex(SOCIAL_POSTS_TABLE).insert({
        platform: 'discord',
        dataset: 'cars',
        period: '2024-05',
        status: 'pending',
        attempt_id: 'crashed-attempt',
        message_text: TEXT,
        dry_run: false,
        created_at: claimedAt,
        updated_at: claimedAt,
      });

      const result = await publishOnce(knex, request());
      expect(result.status).toBe('already-posted');
      expect(result.reason).toBe(
        `An attempt started at ${claimedAt.toISOString()} did not record whether Discord took the post; ` +
          'not posting again to avoid a duplicate. Check the channel, and delete the ledger row to post again',
      );
      expect(calls.count).toBe(0);

      // A fresh claim is a live attempt: retry later instead of posting.
      await knex(SOCIAL_POSTS_TABLE).update({ updated_at: new Date() });
      await expect(publishOnce(knex, request())).rejects.toBeInstanceOf(
        PublishInProgressError,
      );
      expect(calls.count).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'an accepted post without an id is kept as unconfirmed and not repeated (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      let calls = 0;
      server.use(
        http.post(WEBHOOK_URL, () => {
          calls += 1;
          return new HttpResponse(null, { status: 204 });
        }),
      );

      await expect(publishOnce(knex, request())).rejects.toMatchObject({
        mayHavePosted: true,
      });
      expect(await ledgerRows(knex)).toEqual([
        expect.objectContaining({ status: 'unconfirmed', post_id: null }),
      ]);
      await expect(publishOnce(knex, request())).resolves.toMatchObject({
        status: 'already-posted',
        reason: expect.stringContaining(
          'returned no post id; not posting again',
        ),
      });
      expect(calls).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'each COE exercise and each dataset is its own post; malformed periods are rejected (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const calls = discordReplies();
      const coe = (period: string) =>
        publishOnce(knex, request({ dataset: 'coe', period }));

      await expect(coe('2024-05#1')).resolves.toMatchObject({
        status: 'posted',
      });
      await expect(coe('2024-05#2')).resolves.toMatchObject({
        status: 'posted',
      });
      await expect(coe('2024-05#2')).resolves.toMatchObject({
        status: 'already-posted',
      });
      await expect(
        publishOnce(knex, request({ dataset: 'cars', period: '2024-05' })),
      ).resolves.toMatchObject({ status: 'posted' });
      expect(calls.count).toBe(3);

      await expect(coe('2024-05')).rejects.toThrow(
        'Invalid coe period "2024-05": expected YYYY-MM#<bidding no>, e.g. 2024-05#2',
      );
      await expect(
        publishOnce(knex, request({ period: '2024-5' })),
      ).rejects.toThrow('Invalid cars period "2024-5"');
    },
  );

  it.each(databases.eachSupportedId())(
    'the migration enforces one row per platform, dataset and period and can be rolled back (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const row = {
        platform: 'discord',
        dataset: 'cars',
        period: '2024-05',
        status: 'posted',
        attempt_id: 'a',
        message_text: TEXT,
        dry_run: false,
        created_at: new Date(),
        updated_at: new Date(),
      };
      await knex(SOCIAL_POSTS_TABLE).insert(row);
      // Matched on the message: better-sqlite3's errors are not instances of
      // the Error that jest sees once the native module is shared.
      await expect(
        knex(SOCIAL_POSTS_TABLE).insert({ ...row, attempt_id: 'b' }),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/unique|duplicate/i),
      });
      await knex(SOCIAL_POSTS_TABLE).insert({ ...row, platform: 'telegram' });

      await knex.migrate.down({ ...MIGRATIONS, name: MIGRATION_NAME });
      expect(await knex.schema.hasTable(SOCIAL_POSTS_TABLE)).toBe(false);
    },
  );
});
