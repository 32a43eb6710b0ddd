import { delay, http, HttpResponse } from 'msw';
import { resolve } from 'node:path';
import {
  closedPort,
  fetchSentTo,
  fetchWithTimeout,
  ledgerRows,
  setupSocialTests,
} from './__testUtils__/socialTestSetup';
import { discordPlatform } from './platforms/discord';
import { linkedInPlatform } from './platforms/linkedin';
import { SocialPlatformError } from './platforms/SocialPlatformError';
import { twitterPlatform } from './platforms/twitter';
import { PublishInProgressError } from './PublishInProgressError';
import { publishOnce, PublishOnceRequest } from './publishOnce';
import {
  LedgerKey,
  readLedgerEntry,
  recordDryRun,
  releaseClaim,
  SOCIAL_POSTS_TABLE,
} from './socialPostsLedger';

const { databases, server, migratedDatabase } = setupSocialTests();

const MIGRATIONS = {
  directory: resolve(__dirname, '../../migrations'),
  tableName: 'sgcarstrends_knex_migrations',
};

const WEBHOOK_URL = 'https://discord.com/api/webhooks/1/ledger-test-token';
const env = { DISCORD_WEBHOOK_URL: WEBHOOK_URL };
const TEXT = 'Updated car registration data for 2024-05\n\nhttps://e.com/cars';
const KEY: LedgerKey = {
  platform: 'discord',
  dataset: 'cars',
  period: '2024-05',
};

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

describe('publishOnce', () => {
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
    'a crash between publishing and recording becomes uncertain, never a second post (%p)',
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
      expect(result.status).toBe('uncertain');
      expect(result.reason).toContain(
        `An attempt that started at ${claimedAt.toISOString()} stopped before recording whether the platform took the post`,
      );
      expect(calls.count).toBe(0);
      expect(await ledgerRows(knex)).toEqual([
        expect.objectContaining({ status: 'uncertain', post_id: null }),
      ]);

      // A fresh claim is a live attempt: retry later instead of posting.
      await knex(SOCIAL_POSTS_TABLE).update({
        status: 'pending',
        updated_at: new Date(),
      });
      await expect(publishOnce(knex, request())).rejects.toBeInstanceOf(
        PublishInProgressError,
      );
      expect(calls.count).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'an accepted post without an id is uncertain: returned, not thrown, and not repeated (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      let calls = 0;
      server.use(
        http.post(WEBHOOK_URL, () => {
          calls += 1;
          return new HttpResponse(null, { status: 204 });
        }),
      );

      const first = await publishOnce(knex, request());
      expect(first).toEqual({
        status: 'uncertain',
        reason: expect.stringMatching(
          /^Discord answered the request to post the message with HTTP 204 but an unexpected reply: \(empty reply\); Discord offers no way to check whether it went through\. Not posted again automatically/,
        ),
      });
      expect(await ledgerRows(knex)).toEqual([
        expect.objectContaining({ status: 'uncertain', post_id: null }),
      ]);
      await expect(publishOnce(knex, request())).resolves.toMatchObject({
        status: 'uncertain',
        reason: expect.stringContaining(
          'Not posting again until an operator marks it as posted or posts it again',
        ),
      });
      expect(calls).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'a platform that takes the post but answers after the timeout gets it once across the retries; the step reports uncertain (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const received: string[] = [];
      server.use(
        http.post(WEBHOOK_URL, async ({ request: req }) => {
          received.push(((await req.json()) as { content: string }).content);
          // The message is in the channel; the reply comes too late.
          await delay(1_000);
          return HttpResponse.json({ id: 'late-message' });
        }),
      );
      const slow = request({ fetch: fetchWithTimeout(150) });

      const first = await publishOnce(knex, slow);
      expect(first.status).toBe('uncertain');
      expect(first.reason).toContain(
        'Discord: could not post the message: no reply before the request timed out (the request may have reached Discord)',
      );
      // QStash retries and re-deliveries of the step: none posts again.
      for (let retry = 0; retry < 3; retry++) {
        await expect(publishOnce(knex, slow)).resolves.toMatchObject({
          status: 'uncertain',
        });
      }
      expect(received).toHaveLength(1);
      const entry = await readLedgerEntry(knex, KEY);
      expect(entry).toMatchObject({
        status: 'uncertain',
        messageText: TEXT,
        reason: expect.stringContaining('timed out'),
      });
      expect(entry!.reason).not.toContain(WEBHOOK_URL);
      expect(entry!.reason).not.toContain('ledger-test-token');
    },
  );

  it.each(databases.eachSupportedId())(
    'a refused connection releases the claim: the step throws and its retry posts (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const calls = discordReplies(200);
      const refused = request({
        fetch: fetchSentTo(`http://127.0.0.1:${await closedPort()}`),
      });

      const failure = await publishOnce(knex, refused).catch(e => e);
      expect(failure).toBeInstanceOf(SocialPlatformError);
      expect(failure.mayHavePosted).toBe(false);
      expect(failure.message).toBe(
        'Discord: could not post the message: fetch failed (ECONNREFUSED)',
      );
      expect(await ledgerRows(knex)).toEqual([]);

      await expect(publishOnce(knex, request())).resolves.toMatchObject({
        status: 'posted',
        postId: 'message-1',
      });
      expect(calls.count).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'a LinkedIn token refresh answering 200 with an unreadable body posted nothing: the claim is released (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const linkedInEnv = {
        LINKEDIN_CLIENT_ID: 'client-id',
        LINKEDIN_CLIENT_SECRET: 'client-secret',
        LINKEDIN_REFRESH_TOKEN: 'refresh-token',
        LINKEDIN_ORGANISATION_ID: '98765',
      };
      let refreshes = 0;
      let posts = 0;
      server.use(
        http.post('https://www.linkedin.com/oauth/v2/accessToken', () => {
          refreshes += 1;
          return refreshes === 1
            ? new HttpResponse('<html>maintenance</html>', { status: 200 })
            : HttpResponse.json({ access_token: 'fresh-token' });
        }),
        http.post('https://api.linkedin.com/rest/posts', () => {
          posts += 1;
          return new HttpResponse(null, {
            status: 201,
            headers: { 'x-restli-id': 'urn:li:share:1' },
          });
        }),
      );
      const linkedIn = request({
        platform: linkedInPlatform,
        env: linkedInEnv,
      });

      const failure = await publishOnce(knex, linkedIn).catch(e => e);
      expect(failure).toBeInstanceOf(SocialPlatformError);
      expect(failure.message).toMatch(
        /^LinkedIn answered the request to refresh the access token with HTTP 200 but an unexpected reply/,
      );
      expect(posts).toBe(0);
      expect(await ledgerRows(knex)).toEqual([]);

      await expect(publishOnce(knex, linkedIn)).resolves.toMatchObject({
        status: 'posted',
        postId: 'urn:li:share:1',
      });
      expect(posts).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'LinkedIn: a post whose reply was lost is looked up and recorded as posted when it is there (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const linkedInEnv = {
        LINKEDIN_CLIENT_ID: 'client-id',
        LINKEDIN_CLIENT_SECRET: 'client-secret',
        LINKEDIN_REFRESH_TOKEN: 'refresh-token',
        LINKEDIN_ORGANISATION_ID: '98765',
      };
      const created: string[] = [];
      let finderQuery: URLSearchParams | undefined;
      server.use(
        http.post('https://www.linkedin.com/oauth/v2/accessToken', () =>
          HttpResponse.json({ access_token: 'fresh-token' }),
        ),
        http.post(
          'https://api.linkedin.com/rest/posts',
          async ({ request: req }) => {
            created.push(
              ((await req.json()) as { commentary: string }).commentary,
            );
            // Created, but the reply lacks the post's URN.
            return new HttpResponse(null, { status: 201 });
          },
        ),
        http.get('https://api.linkedin.com/rest/posts', ({ request: req }) => {
          finderQuery = new URL(req.url).searchParams;
          expect(req.headers.get('x-restli-method')).toBe('FINDER');
          return HttpResponse.json({
            elements: [
              {
                id: 'urn:li:share:older',
                commentary: 'another post',
                createdAt: Date.now(),
              },
              {
                id: 'urn:li:share:found',
                commentary: created[0],
                createdAt: Date.now(),
              },
            ],
          });
        }),
      );

      const result = await publishOnce(
        knex,
        request({ platform: linkedInPlatform, env: linkedInEnv }),
      );
      expect(result).toMatchObject({
        status: 'posted',
        postId: 'urn:li:share:found',
        url: 'https://www.linkedin.com/feed/update/urn:li:share:found/',
        reason: expect.stringContaining('the post was then found on LinkedIn'),
      });
      expect(finderQuery?.get('author')).toBe('urn:li:organization:98765');
      expect(finderQuery?.get('q')).toBe('author');
      expect(created).toHaveLength(1);
      expect(await ledgerRows(knex)).toEqual([
        expect.objectContaining({
          status: 'posted',
          post_id: 'urn:li:share:found',
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'releasing a claim owned by another attempt leaves that claim in place (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const now = new Date();
      await knex(SOCIAL_POSTS_TABLE).insert({
        ...KEY,
        status: 'pending',
        attempt_id: 'live-attempt',
        message_text: TEXT,
        dry_run: false,
        created_at: now,
        updated_at: now,
      });

      await releaseClaim(knex, KEY, 'other-attempt');
      expect(await readLedgerEntry(knex, KEY)).toMatchObject({
        status: 'pending',
        attemptId: 'live-attempt',
      });

      await releaseClaim(knex, KEY, 'live-attempt');
      expect(await readLedgerEntry(knex, KEY)).toBeUndefined();
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

      await knex.migrate.rollback(MIGRATIONS, true);
      expect(await knex.schema.hasTable(SOCIAL_POSTS_TABLE)).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'the uncertain migration turns unconfirmed rows into uncertain ones, and back (%p)',
    async id => {
      const knex = await databases.init(id);
      await knex.migrate.up({
        ...MIGRATIONS,
        name: '20261125100000_sgcarstrends_tables.js',
      });
      await knex.migrate.up({
        ...MIGRATIONS,
        name: '20261125200000_social_posts.js',
      });
      const now = new Date();
      await knex(SOCIAL_POSTS_TABLE).insert({
        ...KEY,
        status: 'unconfirmed',
        attempt_id: 'a',
        message_text: TEXT,
        dry_run: false,
        created_at: now,
        updated_at: now,
      });

      await knex.migrate.up({
        ...MIGRATIONS,
        name: '20261202100000_social_posts_uncertain.js',
      });
      expect(await readLedgerEntry(knex, KEY)).toMatchObject({
        status: 'uncertain',
        reason: expect.stringContaining('returned no post id'),
      });
      // Nothing is posted for it: it waits for an operator.
      await expect(publishOnce(knex, request())).resolves.toMatchObject({
        status: 'uncertain',
      });

      await knex.migrate.down({
        ...MIGRATIONS,
        name: '20261202100000_social_posts_uncertain.js',
      });
      expect(await knex(SOCIAL_POSTS_TABLE).select('status')).toEqual([
        { status: 'unconfirmed' },
      ]);
      expect(
        await knex.schema.hasColumn(SOCIAL_POSTS_TABLE, 'outcome_reason'),
      ).toBe(false);
    },
  );
});
