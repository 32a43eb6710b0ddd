import { http, HttpResponse } from 'msw';
import { setupSocialTests } from './__testUtils__/socialTestSetup';
import { discordPlatform } from './platforms/discord';
import { linkedInPlatform } from './platforms/linkedin';
import { escapeLinkedInLittleText } from './platforms/linkedin';
import { postAgain } from './postAgain';
import {
  LedgerKey,
  readLedgerEntry,
  SOCIAL_POSTS_TABLE,
} from './socialPostsLedger';

const { databases, server, migratedDatabase } = setupSocialTests();

const WEBHOOK_URL = 'https://discord.com/api/webhooks/9/post-again-token';
const TEXT =
  'Latest COE results for 2024-05 (2nd Bidding)\n\nhttps://e.com/coe';
const LINKEDIN_ENV = {
  LINKEDIN_CLIENT_ID: 'client-id',
  LINKEDIN_CLIENT_SECRET: 'client-secret',
  LINKEDIN_REFRESH_TOKEN: 'refresh-token',
  LINKEDIN_ORGANISATION_ID: '98765',
};

async function uncertainRow(
  knex: Awaited<ReturnType<typeof migratedDatabase>>,
  key: LedgerKey,
) {
  const now = new Date();
  await knex(SOCIAL_POSTS_TABLE).insert({
    ...key,
    status: 'uncertain',
    attempt_id: 'timed-out-attempt',
    message_text: TEXT,
    dry_run: false,
    outcome_reason: 'no reply in time',
    created_at: now,
    updated_at: now,
  });
  return (await readLedgerEntry(knex, key))!;
}

describe('postAgain', () => {
  it.each(databases.eachSupportedId())(
    'posts at most once: a second request working from the same read of the row posts nothing (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const key: LedgerKey = {
        platform: 'discord',
        dataset: 'coe',
        period: '2024-05#2',
      };
      const entry = await uncertainRow(knex, key);
      const posted: string[] = [];
      server.use(
        http.post(WEBHOOK_URL, async ({ request }) => {
          posted.push(((await request.json()) as { content: string }).content);
          return HttpResponse.json({ id: `message-${posted.length}` });
        }),
      );
      const again = () =>
        postAgain(knex, {
          platform: discordPlatform,
          entry,
          env: { DISCORD_WEBHOOK_URL: WEBHOOK_URL },
          resolvedBy: 'user:default/operator',
        });

      await expect(again()).resolves.toMatchObject({
        kind: 'posted',
        postId: 'message-1',
      });
      await expect(again()).resolves.toEqual({ kind: 'claimed-elsewhere' });
      expect(posted).toHaveLength(1);
      expect(await readLedgerEntry(knex, key)).toMatchObject({
        status: 'posted',
        postId: 'message-1',
        resolution: 'posted-again',
        resolvedBy: 'user:default/operator',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'LinkedIn: looks first, and records the post it finds instead of posting again (%p)',
    async id => {
      const knex = await migratedDatabase(id);
      const key: LedgerKey = {
        platform: 'linkedin',
        dataset: 'coe',
        period: '2024-05#2',
      };
      const entry = await uncertainRow(knex, key);
      let created = 0;
      server.use(
        http.post('https://www.linkedin.com/oauth/v2/accessToken', () =>
          HttpResponse.json({ access_token: 'fresh-token' }),
        ),
        http.get('https://api.linkedin.com/rest/posts', () =>
          HttpResponse.json({
            elements: [
              {
                id: 'urn:li:share:earlier',
                commentary: escapeLinkedInLittleText(TEXT),
                createdAt: Date.now(),
              },
            ],
          }),
        ),
        http.post('https://api.linkedin.com/rest/posts', () => {
          created += 1;
          return new HttpResponse(null, {
            status: 201,
            headers: { 'x-restli-id': 'urn:li:share:duplicate' },
          });
        }),
      );

      await expect(
        postAgain(knex, {
          platform: linkedInPlatform,
          entry,
          env: LINKEDIN_ENV,
          resolvedBy: 'user:default/operator',
        }),
      ).resolves.toMatchObject({
        kind: 'posted',
        postId: 'urn:li:share:earlier',
      });
      expect(created).toBe(0);
      expect(await readLedgerEntry(knex, key)).toMatchObject({
        status: 'posted',
        postId: 'urn:li:share:earlier',
        resolution: 'found-on-platform',
      });
    },
  );
});
