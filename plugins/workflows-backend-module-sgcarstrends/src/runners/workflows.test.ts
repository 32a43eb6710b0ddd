import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
// The module only runs inside its plugin, so the test starts both.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import workflowsPlugin from '@internal/plugin-workflows-backend';
import {
  createTestDatabases,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import { Client as WorkflowClient } from '@upstash/workflow';
import { Knex } from 'knex';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { buildSampleZips } from '../ingest';
import { workflowsModuleSgcarstrends } from '../module';

const LTA_BASE = 'https://lta.test/vehicle-registration';
const DISCORD_WEBHOOK = 'https://discord.test/api/webhooks/42/posts-secret';
const ALERT_WEBHOOK = 'https://discord.test/api/webhooks/43/alerts-secret';
const TELEGRAM_SEND = /^https:\/\/api\.telegram\.org\/bot[^/]+\/sendMessage$/;

interface Recorded {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Third-party APIs the runners call, answered in-process. */
class FakeThirdParties {
  discordPosts: string[] = [];
  telegramPosts: string[] = [];
  alerts: unknown[] = [];
  /** Answers of the next Telegram calls; 200 once the list is empty. */
  telegramFailures: number[] = [];
  /** Every delivery QStash made to the runner endpoints. */
  deliveries: Recorded[] = [];
  private readonly zipsByName = (() => {
    const zips = buildSampleZips();
    return new Map([
      ['Monthly New Registration of Cars by Make.zip', zips.cars],
      ['COE Bidding Results.zip', zips.coe],
    ]);
  })();

  readonly server = setupServer(
    http.get(`${LTA_BASE}/:zip`, ({ params }) => {
      const zip = this.zipsByName.get(decodeURIComponent(String(params.zip)));
      if (!zip) return new HttpResponse(null, { status: 404 });
      return HttpResponse.arrayBuffer(zip.slice().buffer, {
        headers: { 'content-type': 'application/zip' },
      });
    }),
    http.post(DISCORD_WEBHOOK, async ({ request: req }) => {
      const body = (await req.json()) as { content: string };
      this.discordPosts.push(body.content);
      return HttpResponse.json({ id: `msg-${this.discordPosts.length}` });
    }),
    http.post(ALERT_WEBHOOK, async ({ request: req }) => {
      this.alerts.push(await req.json());
      return HttpResponse.json({ id: 'alert' });
    }),
    http.post(TELEGRAM_SEND, async ({ request: req }) => {
      const status = this.telegramFailures.shift();
      if (status) {
        return HttpResponse.json(
          { ok: false, description: 'boom' },
          { status },
        );
      }
      const body = (await req.json()) as { text: string };
      this.telegramPosts.push(body.text);
      return HttpResponse.json({
        ok: true,
        result: {
          message_id: this.telegramPosts.length,
          chat: { username: 'sgcars' },
        },
      });
    }),
    http.post(/\/api\/workflows\/runners\//, async ({ request: req }) => {
      const headers: Record<string, string> = {};
      req.headers.forEach((value, key) => {
        headers[key] = value;
      });
      this.deliveries.push({
        url: req.url,
        headers,
        body: await req.clone().text(),
      });
      return passthrough();
    }),
  );
}

/**
 * A delivery's headers with a fresh Upstash-Signature, as QStash signs every
 * attempt anew (the endpoints refuse a signature they accepted before).
 */
function signedAgain(delivery: Recorded, key: string): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
    iss: 'Upstash',
    sub: delivery.url,
    iat: now,
    nbf: now,
    exp: now + 300,
    jti: randomUUID(),
    body: createHash('sha256').update(delivery.body).digest('base64url'),
  })}`;
  const signature = createHmac('sha256', key)
    .update(unsigned)
    .digest('base64url');
  return {
    ...delivery.headers,
    'upstash-signature': `${unsigned}.${signature}`,
  };
}

// Real runs through a local QStash: slower than a unit test, bounded by waitForRun.
jest.setTimeout(90_000);

const databases = createTestDatabases();

async function waitForRun(
  client: WorkflowClient,
  workflowRunId: string,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { runs } = await client.logs({ workflowRunId });
    const run = runs[0];
    if (run && run.workflowState !== 'RUN_STARTED') return run;
    if (Date.now() > deadline) {
      throw new Error(
        `Run ${workflowRunId} did not finish: ${JSON.stringify(run)}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

describe.each(databases.eachSupportedId())(
  'sgcarstrends workflows on %p',
  databaseId => {
    const fakes = new FakeThirdParties();
    let knex: Knex;
    let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let client: WorkflowClient;
    let runnerUrl: (id: string) => string;
    const savedEnv = { ...process.env };

    beforeAll(async () => {
      fakes.server.listen({ onUnhandledRequest: 'bypass' });
      process.env.DISCORD_WEBHOOK_URL = DISCORD_WEBHOOK;
      process.env.TELEGRAM_BOT_TOKEN = '123:telegram-secret';
      process.env.TELEGRAM_CHANNEL_ID = '@sgcars';
      knex = await databases.init(databaseId);
      qstash = await startQStashLocal({ port: 0, retryTimeScale: 0.0005 });
      backend = await startTestBackend({
        features: [
          workflowsPlugin,
          workflowsModuleSgcarstrends,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://portal.test' },
              workflows: {
                qstash: qstashConfigFor(qstash),
                alerts: { discordWebhookUrl: ALERT_WEBHOOK },
                sgcarstrends: {
                  source: { baseUrl: LTA_BASE },
                  social: { dryRun: false, platforms: ['discord', 'telegram'] },
                },
              },
            },
          }),
        ],
      });
      const { port } = backend.server.address() as AddressInfo;
      runnerUrl = id => `http://localhost:${port}/api/workflows/runners/${id}`;
      client = new WorkflowClient({ baseUrl: qstash.url, token: qstash.token });
    });

    afterAll(async () => {
      await backend?.stop();
      await qstash?.close();
      fakes.server.close();
      process.env = savedEnv;
    });

    async function stepsOf(workflowId: string, runId: string) {
      const response = await request(backend.server)
        .get(`/api/workflows/runs/${runId}`)
        .set('Authorization', mockCredentials.user.header());
      expect(response.status).toBe(200);
      expect(response.body.run.workflowId).toBe(workflowId);
      return response.body as {
        run: { workflowId: string; status: string; failedStep: string | null };
        steps: Array<{
          name: string;
          state: string;
          output: string | null;
          attemptLog: Array<{ status: string; output: string | null }>;
        }>;
      };
    }

    it('creates the trigger schedule once, with its default cron', async () => {
      const schedules = await fetch(`${qstash.url}/v2/schedules`, {
        headers: { authorization: `Bearer ${qstash.token}` },
      }).then(r => r.json());
      const mine = schedules.filter(
        (s: { scheduleId: string }) => s.scheduleId === 'workflows-trigger',
      );
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        cron: '*/60 0-10 * * 1-5',
        destination: runnerUrl('trigger'),
      });
    });

    it('runs the cars workflow to success: ingest, latest month, one post per platform', async () => {
      fakes.telegramFailures = [500];
      const { workflowRunId } = await client.trigger({
        url: runnerUrl('cars'),
        body: {},
      });
      const run = await waitForRun(client, workflowRunId);
      expect(run.workflowState).toBe('RUN_SUCCESS');

      const stepNames = run.steps
        // Step groups are a union of shapes; every shape carries stepName.
        .flatMap(group => group.steps as ReadonlyArray<{ stepName?: string }>)
        .map(step => step.stepName)
        .filter(name => name !== 'init');
      expect(stepNames).toEqual([
        'Processing "cars" data',
        'Read latest month',
        'Publish to Discord',
        'Publish to Telegram',
      ]);

      const [{ count }] = await knex('cars').count({ count: '*' });
      expect(Number(count)).toBeGreaterThan(0);
      expect(fakes.discordPosts).toHaveLength(1);
      expect(fakes.discordPosts[0]).toMatch(
        /^Updated car registration data for \d{4}-\d{2}/,
      );
      expect(fakes.telegramPosts).toHaveLength(1);

      // The Telegram 500 retried that step alone.
      const { run: journalRun, steps } = await stepsOf('cars', workflowRunId);
      expect(journalRun.status).toBe('succeeded');
      const executions = (name: string) =>
        steps.find(s => s.name === name)?.attemptLog ?? [];
      expect(executions('Processing "cars" data')).toHaveLength(1);
      expect(executions('Publish to Discord')).toHaveLength(1);
      expect(executions('Publish to Telegram').map(s => s.status)).toEqual([
        'failed',
        'succeeded',
      ]);
    });

    it('does not post twice when QStash delivers the same calls again', async () => {
      const cars = fakes.deliveries.filter(d => d.url === runnerUrl('cars'));
      const runId = cars[cars.length - 1].headers['upstash-workflow-runid'];
      expect(cars.length).toBeGreaterThanOrEqual(4);
      const rowsBefore = await knex('cars').count({ count: '*' });
      for (const delivery of cars) {
        await fetch(delivery.url, {
          method: 'POST',
          headers: signedAgain(delivery, qstash.currentSigningKey),
          body: delivery.body,
        });
      }
      await new Promise(r => setTimeout(r, 500));
      expect(fakes.discordPosts).toHaveLength(1);
      expect(fakes.telegramPosts).toHaveLength(1);
      expect(await knex('cars').count({ count: '*' })).toEqual(rowsBefore);

      // The publish steps did run again, and the ledger answered for them.
      const { steps } = await stepsOf('cars', runId);
      const discord =
        steps.find(s => s.name === 'Publish to Discord')?.attemptLog ?? [];
      expect(discord.length).toBeGreaterThan(1);
      expect(discord.slice(1).map(s => s.output)).toEqual(
        discord
          .slice(1)
          .map(() => expect.stringContaining('"status":"already-posted"')),
      );
    });

    it('stops before posting when the file did not change', async () => {
      const { workflowRunId } = await client.trigger({
        url: runnerUrl('cars'),
        body: {},
      });
      const run = await waitForRun(client, workflowRunId);
      expect(run.workflowState).toBe('RUN_SUCCESS');
      const { steps } = await stepsOf('cars', workflowRunId);
      expect(steps.map(s => s.name)).toEqual(['Processing "cars" data']);
      expect(steps[0].output).toMatch(/"recordsProcessed":0/);
      expect(fakes.discordPosts).toHaveLength(1);
    });

    it('records a failed run and alerts Discord with the failing step', async () => {
      fakes.telegramFailures = Array(20).fill(500);
      const { workflowRunId } = await client.trigger({
        url: runnerUrl('coe'),
        body: {},
        retries: 1,
      });
      const run = await waitForRun(client, workflowRunId);
      expect(run.workflowState).toBe('RUN_FAILED');

      const deadline = Date.now() + 10_000;
      while (fakes.alerts.length === 0 && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
      }
      const { run: journalRun } = await stepsOf('coe', workflowRunId);
      expect(journalRun).toMatchObject({
        status: 'failed',
        failedStep: 'Publish to Telegram',
      });
      expect(fakes.alerts).toHaveLength(1);
      const embed = (
        fakes.alerts[0] as {
          embeds: Array<{
            title: string;
            fields: Array<{ name: string; value: string }>;
          }>;
        }
      ).embeds[0];
      expect(embed.title).toBe('Workflow failed');
      expect(embed.fields).toEqual(
        expect.arrayContaining([
          { name: 'Step', value: 'Publish to Telegram' },
          expect.objectContaining({
            name: 'Workflow',
            value: 'COE results update (coe)',
          }),
          // The alert also opens the Failures page at this failure's group.
          expect.objectContaining({
            name: 'Same failure',
            value: expect.stringMatching(/\/failures\?group=[0-9a-f]{16}\)$/),
          }),
        ]),
      );
      // COE was posted to Discord before Telegram failed, exactly once.
      expect(
        fakes.discordPosts.filter(p => p.startsWith('Latest COE results')),
      ).toHaveLength(1);
      fakes.telegramFailures = [];
    });

    it('fans out from the trigger runner to cars and coe', async () => {
      const { workflowRunId } = await client.trigger({
        url: runnerUrl('trigger'),
        body: {},
      });
      const run = await waitForRun(client, workflowRunId);
      expect(run.workflowState).toBe('RUN_SUCCESS');
      const { steps } = await stepsOf('trigger', workflowRunId);
      expect(steps).toHaveLength(1);
      const started = JSON.parse(steps[0].output!) as string[];
      expect(started).toHaveLength(2);
      for (const id of started) {
        expect((await waitForRun(client, id)).workflowState).toBe(
          'RUN_SUCCESS',
        );
      }
    });
  },
);
