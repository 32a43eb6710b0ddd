import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  WorkflowHealth,
  workflowHealthSchema,
} from '@internal/plugin-workflows-common';
// The module only runs inside its plugin, so the test starts both.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import workflowsPlugin from '@internal/plugin-workflows-backend';
import {
  capturingRootLogger,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { workflowsModuleSgcarstrends } from '../module';

const LTA_BASE = 'https://lta.test/vehicle-registration';
const CARS_ZIP = 'Monthly New Registration of Cars by Make.zip';
const DISCORD_WEBHOOK =
  'https://discord.test/api/webhooks/42/discord-webhook-s3cr3t';
const TELEGRAM_GET_ME = /^https:\/\/api\.telegram\.org\/bot[^/]+\/getMe$/;
const LINKEDIN_TOKEN_URL = 'https://www.linkedin.com/oauth/v2/accessToken';
const TWITTER_ME_URL = 'https://api.twitter.com/2/users/me';

const ENV = {
  DISCORD_WEBHOOK_URL: DISCORD_WEBHOOK,
  TELEGRAM_BOT_TOKEN: '8001:telegram-token-s3cr3t',
  TELEGRAM_CHANNEL_ID: '@sgcars',
  LINKEDIN_CLIENT_ID: 'linkedin-client',
  LINKEDIN_CLIENT_SECRET: 'linkedin-client-s3cr3t',
  LINKEDIN_REFRESH_TOKEN: 'linkedin-refresh-s3cr3t',
  LINKEDIN_ORGANISATION_ID: '98765',
  TWITTER_APP_KEY: 'twitter-app-key-s3cr3t',
  TWITTER_APP_SECRET: 'twitter-app-secret-s3cr3t',
  TWITTER_ACCESS_TOKEN: '1234-twitter-access-s3cr3t',
  TWITTER_ACCESS_SECRET: 'twitter-access-secret-s3cr3t',
};
const SECRETS = [
  DISCORD_WEBHOOK,
  'discord-webhook-s3cr3t',
  ENV.TELEGRAM_BOT_TOKEN,
  'telegram-token-s3cr3t',
  ENV.LINKEDIN_CLIENT_SECRET,
  ENV.LINKEDIN_REFRESH_TOKEN,
  'linkedin-access-s3cr3t',
  ENV.TWITTER_APP_KEY,
  ENV.TWITTER_APP_SECRET,
  ENV.TWITTER_ACCESS_TOKEN,
  ENV.TWITTER_ACCESS_SECRET,
];

type Mode = 'valid' | 'revoked' | 'rate-limited' | 'timing-out' | 'html';

/** The four platforms' check endpoints, all answering as `mode` says. */
class FakePlatforms {
  mode: Mode = 'valid';
  calls = 0;
  ltaStatus = 200;
  ltaLength = '2048';

  private answer(valid: () => Response) {
    return async () => {
      this.calls += 1;
      switch (this.mode) {
        case 'revoked':
          return HttpResponse.json(
            { error: 'invalid credentials' },
            { status: 401 },
          );
        case 'rate-limited':
          return HttpResponse.json(
            { error: 'too many requests' },
            { status: 429 },
          );
        case 'timing-out':
          await delay('infinite');
          return valid();
        case 'html':
          return HttpResponse.html(
            '<html><body><h1>Service Unavailable</h1></body></html>',
          );
        default:
          return valid();
      }
    };
  }

  readonly server = setupServer(
    http.get(
      DISCORD_WEBHOOK,
      this.answer(() => HttpResponse.json({ id: '42', name: 'sgcarstrends' })),
    ),
    http.get(
      TELEGRAM_GET_ME,
      this.answer(() =>
        HttpResponse.json({ ok: true, result: { username: 'sgcars_bot' } }),
      ),
    ),
    http.post(
      LINKEDIN_TOKEN_URL,
      this.answer(() =>
        HttpResponse.json({
          access_token: 'linkedin-access-s3cr3t',
          refresh_token_expires_in: 200 * 86_400,
        }),
      ),
    ),
    http.get(
      TWITTER_ME_URL,
      this.answer(() => HttpResponse.json({ data: { username: 'sgcars' } })),
    ),
    http.head(`${LTA_BASE}/:zip`, ({ params }) =>
      decodeURIComponent(String(params.zip)) === CARS_ZIP
        ? new HttpResponse(null, {
            status: this.ltaStatus,
            headers: {
              'content-length': this.ltaLength,
              'last-modified': 'Mon, 01 Dec 2026 02:00:00 GMT',
            },
          })
        : new HttpResponse(null, { status: 404 }),
    ),
  );
}

const PLATFORM_IDS = ['discord', 'telegram', 'linkedin', 'twitter'];

describe('sgcarstrends health probes', () => {
  const fakes = new FakePlatforms();
  const savedEnv = { ...process.env };
  const logLines: string[] = [];
  const answers: string[] = [];
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let samples: Awaited<ReturnType<typeof startTestBackend>>;

  const health = async (
    target: typeof backend,
    workflowId: string,
    recheck?: { probePlatforms: boolean },
  ): Promise<WorkflowHealth> => {
    const pending = recheck
      ? request(target.server)
          .post(`/api/workflows/workflows/${workflowId}/health/check`)
          .send(recheck)
      : request(target.server).get(
          `/api/workflows/workflows/${workflowId}/health`,
        );
    const response = await pending.set(
      'Authorization',
      mockCredentials.user.header(),
    );
    answers.push(response.text);
    expect(response.status).toBe(200);
    return workflowHealthSchema.parse(response.body);
  };
  const probesOf = (result: WorkflowHealth) =>
    Object.fromEntries(result.probes.map(p => [p.id, p]));

  beforeAll(async () => {
    Object.assign(process.env, ENV);
    fakes.server.listen({ onUnhandledRequest: 'bypass' });
    const start = (sgcarstrends: object) =>
      startTestBackend({
        features: [
          workflowsPlugin,
          workflowsModuleSgcarstrends,
          capturingRootLogger(logLines),
          mockServices.rootConfig.factory({
            data: {
              // Short, so that a platform that never answers fails quickly.
              workflows: { health: { probeTimeoutSeconds: 0.5 }, sgcarstrends },
            },
          }),
        ],
      });
    backend = await start({
      source: { baseUrl: LTA_BASE },
      social: { dryRun: true },
    });
    samples = await start({
      source: { useBundledSamples: true },
      social: { dryRun: false, platforms: ['telegram'] },
    });
  });

  afterAll(async () => {
    await samples?.stop();
    await backend?.stop();
    fakes.server.close();
    process.env = savedEnv;
  });

  beforeEach(() => {
    fakes.mode = 'valid';
    fakes.ltaStatus = 200;
    fakes.ltaLength = '2048';
  });

  it('leaves the platforms alone in dry run, and checks the rest', async () => {
    const callsBefore = fakes.calls;
    const cars = await health(backend, 'cars');
    const probes = probesOf(cars);
    expect(cars.probes.map(p => p.id)).toEqual([
      'database',
      'redis',
      'qstash-token',
      'signing-keys',
      'lta-source',
      ...PLATFORM_IDS,
    ]);
    for (const id of PLATFORM_IDS) {
      expect(probes[id]).toMatchObject({
        verdict: 'not-probed',
        message: 'not probed: dry run',
        latencyMs: null,
      });
    }
    expect(probes.telegram.title).toBe('Telegram credentials (getMe)');
    expect(probes.discord.title).toBe('Discord credentials (webhook GET)');
    expect(probes.twitter.title).toBe('Twitter credentials (users/me)');
    expect(probes.linkedin.title).toBe('LinkedIn credentials (token refresh)');
    expect(fakes.calls).toBe(callsBefore);

    // The module's own database check takes the place of the backend's.
    expect(probes.database).toMatchObject({
      title: 'Database of the car and COE tables (the plugin database)',
      verdict: 'ok',
    });
    expect(probes['lta-source']).toMatchObject({
      verdict: 'ok',
      message: `"${CARS_ZIP}" is reachable, last modified Mon, 01 Dec 2026 02:00:00 GMT`,
    });
    const variables = Object.fromEntries(
      cars.variables.map(v => [v.name, v.state]),
    );
    for (const name of Object.keys(ENV)) {
      expect(variables[name]).toBe('present');
    }
  });

  it.each<[Mode, string, RegExp, unknown]>([
    [
      'valid',
      'ok',
      /^(Authenticated as @|Webhook "|Access token refreshed)/,
      null,
    ],
    [
      'revoked',
      'failing',
      /HTTP 401/,
      expect.stringMatching(
        /^the credentials were refused \(wrong, revoked or expired\): set [A-Z_]+/,
      ),
    ],
    [
      'rate-limited',
      'warning',
      /^rate limited, the credentials could not be checked: .*HTTP 429/,
      expect.stringMatching(/^check again later/),
    ],
    [
      'timing-out',
      'failing',
      /^timed out after 0\.5 s$/,
      expect.stringMatching(/within 0\.5 s/),
    ],
    [
      'html',
      'failing',
      /unexpected reply: <html>/,
      expect.stringMatching(/is reachable from this backend/),
    ],
  ])(
    'probes every platform when asked, even in dry run: %s -> %s',
    async (mode, verdict, message, fix) => {
      fakes.mode = mode;
      const probes = probesOf(
        await health(backend, 'cars', { probePlatforms: true }),
      );
      for (const id of PLATFORM_IDS) {
        expect(probes[id]).toMatchObject({
          id,
          verdict,
          message: expect.stringMatching(message),
          fix,
          cached: false,
        });
      }
    },
  );

  it('fails the LTA source when the file is gone or too large to ingest', async () => {
    fakes.ltaStatus = 404;
    expect(
      probesOf(await health(backend, 'cars', { probePlatforms: false }))[
        'lta-source'
      ],
    ).toMatchObject({
      verdict: 'failing',
      message: `LTA DataMall answered HTTP 404 for "${CARS_ZIP}"`,
      fix: expect.stringContaining('workflows.sgcarstrends.source.baseUrl'),
    });
    fakes.ltaStatus = 200;
    fakes.ltaLength = String(60 * 1024 * 1024);
    expect(
      probesOf(await health(backend, 'cars', { probePlatforms: false }))[
        'lta-source'
      ],
    ).toMatchObject({
      verdict: 'failing',
      fix: 'raise workflows.sgcarstrends.source.maxZipMegabytes',
    });
  });

  it('says invalid without quoting a value, and requires the variables once posts go out', async () => {
    process.env.TELEGRAM_BOT_TOKEN = 'telegram token s3cr3t';
    process.env.TELEGRAM_CHANNEL_ID = 'sgcars';
    try {
      const coe = await health(samples, 'coe');
      const variables = Object.fromEntries(coe.variables.map(v => [v.name, v]));
      expect(variables.TELEGRAM_BOT_TOKEN).toMatchObject({
        state: 'invalid',
        problem: 'not a bot token of the form <bot id>:<secret>',
      });
      expect(variables.TELEGRAM_CHANNEL_ID).toMatchObject({
        state: 'invalid',
        problem: 'not @channelname or a numeric chat id',
      });
      // Only the configured platform's variables are asked for.
      expect(variables.DISCORD_WEBHOOK_URL).toBeUndefined();
      expect(coe.verdict).toBe('failing');
      expect(JSON.stringify(coe)).not.toContain('telegram token s3cr3t');

      const probes = probesOf(coe);
      expect(probes['lta-source']).toMatchObject({
        verdict: 'not-probed',
        message: 'not probed: bundled samples in use',
      });
      // Not in dry run: the platform is probed without being asked.
      expect(probes.telegram.verdict).not.toBe('not-probed');

      delete process.env.TELEGRAM_BOT_TOKEN;
      const missing = await health(samples, 'coe', { probePlatforms: false });
      expect(
        missing.variables.find(v => v.name === 'TELEGRAM_BOT_TOKEN'),
      ).toMatchObject({
        state: 'missing',
        fix: 'set TELEGRAM_BOT_TOKEN, or remove telegram from workflows.sgcarstrends.social.platforms',
      });
      expect(probesOf(missing).telegram).toMatchObject({
        verdict: 'not-probed',
        message: 'not probed: missing TELEGRAM_BOT_TOKEN',
      });
    } finally {
      Object.assign(process.env, ENV);
    }
  });

  it('never shows a platform secret in a response or a log line', async () => {
    fakes.mode = 'revoked';
    await health(backend, 'coe', { probePlatforms: true });
    fakes.mode = 'html';
    await health(backend, 'cars', { probePlatforms: true });
    const everything = [...answers, ...logLines].join('\n');
    expect(answers.length).toBeGreaterThan(8);
    for (const secret of SECRETS) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('the trigger runner variables', () => {
  const savedEnv = { ...process.env };
  let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    // The embedded default: QStash only in the config, not in the environment.
    for (const name of [
      'QSTASH_URL',
      'QSTASH_TOKEN',
      'QSTASH_CURRENT_SIGNING_KEY',
      'QSTASH_NEXT_SIGNING_KEY',
    ]) {
      delete process.env[name];
    }
    qstash = await startQStashLocal({ port: 0 });
    backend = await startTestBackend({
      features: [
        workflowsPlugin,
        workflowsModuleSgcarstrends,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.test' },
            workflows: {
              qstash: qstashConfigFor(qstash),
              sgcarstrends: { source: { useBundledSamples: true } },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await qstash?.close();
    process.env = savedEnv;
  });

  it('counts the QStash variables as set when workflows.qstash holds them', async () => {
    const response = await request(backend.server)
      .get('/api/workflows/workflows/trigger/health')
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    const { variables } = workflowHealthSchema.parse(response.body);
    const byName = Object.fromEntries(variables.map(v => [v.name, v]));
    for (const [name, key] of [
      ['QSTASH_TOKEN', 'token'],
      ['QSTASH_CURRENT_SIGNING_KEY', 'currentSigningKey'],
      ['QSTASH_NEXT_SIGNING_KEY', 'nextSigningKey'],
    ]) {
      expect(byName[name]).toEqual({
        name,
        kind: 'env',
        state: 'present',
        problem: null,
        fix: null,
        suppliedBy: { kind: 'config', name: `workflows.qstash.${key}` },
      });
    }
    expect(response.text).not.toContain(qstash.token);
    expect(response.text).not.toContain(qstash.currentSigningKey);
  });
});
