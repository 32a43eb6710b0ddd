import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  applySgcarstrendsMigrations,
  buildSampleZips,
  DATASET_SOURCES,
} from '../ingest';
import { readLedgerEntry } from '../social';
import { createDatasetRunner, DatasetRunResult } from './datasetRunner';
import { readRunnerSettings } from './runnerSettings';

const SAMPLES = 'https://samples.test/lta';
const DISCORD_WEBHOOK =
  'https://discord.test/api/webhooks/5/publish-loop-token';
const TELEGRAM_SEND = /^https:\/\/api\.telegram\.org\/bot[^/]+\/sendMessage$/;

const databases = createTestDatabases();

/**
 * Runs the workflow body as QStash would, minus the network: each step is
 * called until it returns, at most three times, and its name is recorded.
 */
function retryingContext(steps: string[]) {
  const context = {
    async run<T>(name: string, step: () => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        steps.push(name);
        try {
          return await step();
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    },
  };
  // Only `run` is used by the dataset runners; the rest of the context is QStash's.
  return context as unknown as Parameters<
    ReturnType<typeof createDatasetRunner>['run']
  >[0];
}

describe('the Publish to <Platform> steps', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it.each(databases.eachSupportedId())(
    'an uncertain post does not stop the run: the other platforms post, the run completes and says which post is uncertain (%p)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applySgcarstrendsMigrations(knex);
      const zips = buildSampleZips();
      const discordCalls: string[] = [];
      const telegramPosts: string[] = [];
      server.use(
        http.get(`${SAMPLES}/:zip`, ({ params }) => {
          const name = decodeURIComponent(String(params.zip));
          const zip =
            name === DATASET_SOURCES.cars.zipName ? zips.cars : undefined;
          return zip
            ? HttpResponse.arrayBuffer(zip.slice().buffer, {
                headers: { 'content-type': 'application/zip' },
              })
            : new HttpResponse(null, { status: 404 });
        }),
        http.post(DISCORD_WEBHOOK, async ({ request }) => {
          discordCalls.push(await request.text());
          // Taken, but the reply has no message: the outcome is unknown.
          return new HttpResponse(null, { status: 204 });
        }),
        http.post(TELEGRAM_SEND, async ({ request }) => {
          telegramPosts.push(((await request.json()) as { text: string }).text);
          return HttpResponse.json({
            ok: true,
            result: { message_id: telegramPosts.length },
          });
        }),
      );
      const runner = createDatasetRunner('cars', {
        settings: readRunnerSettings(
          new ConfigReader({
            workflows: {
              sgcarstrends: {
                source: { useBundledSamples: true },
                social: { dryRun: false, platforms: ['discord', 'telegram'] },
              },
            },
          }),
        ),
        database: async () => knex,
        samples: async () => ({ baseUrl: SAMPLES, fetch }),
        env: {
          DISCORD_WEBHOOK_URL: DISCORD_WEBHOOK,
          TELEGRAM_BOT_TOKEN: '123:publish-loop-secret',
          TELEGRAM_CHANNEL_ID: '@sgcars',
        },
      });

      const steps: string[] = [];
      const result = (await runner.run(
        retryingContext(steps),
        // The dataset runners use no runner services.
        {} as Parameters<typeof runner.run>[1],
      )) as DatasetRunResult;

      expect(steps.filter(s => s.startsWith('Publish'))).toEqual([
        'Publish to Discord',
        'Publish to Telegram',
      ]);
      expect(discordCalls).toHaveLength(1);
      expect(telegramPosts).toHaveLength(1);
      expect(result.posts).toEqual([
        {
          platform: 'discord',
          status: 'uncertain',
          reason: expect.stringContaining('Not posted again automatically'),
        },
        { platform: 'telegram', status: 'posted', reason: undefined },
      ]);
      expect(result.uncertainPosts).toEqual(['discord']);
      expect(
        await readLedgerEntry(knex, {
          platform: 'discord',
          dataset: 'cars',
          period: result.period!,
        }),
      ).toMatchObject({ status: 'uncertain' });
    },
  );
});
