import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  envHealthResponseSchema,
  WorkflowHealth,
  workflowHealthSchema,
} from '@internal/plugin-workflows-common';
import {
  capturingRootLogger,
  createRunnerModule,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { workflowsPlugin } from '../plugin';
import {
  denyingPermissions,
  RecordedAuditEvent,
  recordingAuditor,
} from '../__testUtils__/recordingServices';

jest.setTimeout(60_000);

const UPSTASH_URL = 'https://eu1-health-test.upstash.io';
const REDIS_PASSWORD = 'redis-pass-s3cr3t';
const POSTGRES_URL = new URL(
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING!,
);
// The test server trusts local connections, so any password gets in.
POSTGRES_URL.password = 'pg-pass-s3cr3t';

/** What the reporter runner reads; every secret here must stay in the backend. */
const ENV = {
  REPORT_WEBHOOK_URL: 'http://reports.example.com/hook/webhook-s3cr3t',
  REPORT_API_TOKEN: 'report-api-token-s3cr3t',
  DATABASE_URL: POSTGRES_URL.toString(),
  UPSTASH_REDIS_REST_URL: UPSTASH_URL,
  UPSTASH_REDIS_REST_TOKEN: 'upstash-rest-token-s3cr3t',
};

/** How often the reporter's own probe ran. */
let reportProbeRuns = 0;

const reporter = createRunnerModule({
  id: 'reporter',
  title: 'Reporter',
  description: 'Posts a report',
  owner: 'group:default/test',
  requiredEnv: [
    'REPORT_WEBHOOK_URL',
    'REPORT_CHANNEL',
    'REPORT_API_TOKEN',
    'DATABASE_URL',
    'UPSTASH_REDIS_REST_URL',
    'UPSTASH_REDIS_REST_TOKEN',
    // Handed over by the host from workflows.qstash, as the trigger runner's are.
    'QSTASH_TOKEN',
    'QSTASH_CURRENT_SIGNING_KEY',
    'QSTASH_NEXT_SIGNING_KEY',
  ],
  envVars: [
    { name: 'REPORT_WEBHOOK_URL', format: 'https-url' },
    { name: 'REPORT_CHANNEL', format: 'numeric-id', secret: false },
    { name: 'DATABASE_URL', format: 'postgres-url' },
  ],
  healthProbes: [
    {
      id: 'report-api',
      title: 'Report API',
      async probe() {
        reportProbeRuns += 1;
        // A careless probe: the host must take the token out.
        return {
          verdict: 'ok',
          message: `accepted token ${process.env.REPORT_API_TOKEN}`,
        };
      },
    },
  ],
  async run(context) {
    await context.run('report', async () => 'done');
  },
});

const plain = createRunnerModule({
  id: 'plain',
  title: 'Plain runner',
  description: 'Declares nothing',
  owner: 'group:default/test',
  async run(context) {
    await context.run('noop', async () => 'done');
  },
});

const tracked = {
  id: 'tracked-hook',
  title: 'Tracked hook',
  owner: 'group:default/test',
  url: 'https://jobs.example.com/hook',
  requiredEnv: ['REPORT_API_TOKEN'],
};

describe('env-var health API', () => {
  const upstash = setupServer(
    http.get(`${UPSTASH_URL}/ping`, () =>
      HttpResponse.json({ result: 'PONG' }),
    ),
  );
  const savedEnv = { ...process.env };
  let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let denied: Awaited<ReturnType<typeof startTestBackend>>;
  let misconfigured: Awaited<ReturnType<typeof startTestBackend>>;
  const audit: RecordedAuditEvent[] = [];
  const deniedAudit: RecordedAuditEvent[] = [];
  const misconfiguredAudit: RecordedAuditEvent[] = [];
  const logLines: string[] = [];
  /** Every answer any test got, to search for secrets at the end. */
  const answers: request.Response[] = [];
  const tokenChecks: string[] = [];

  const call = async (
    target: typeof backend,
    method: 'get' | 'post',
    path: string,
    body?: object,
    authorized = true,
  ) => {
    let pending = request(target.server)[method](`/api/workflows${path}`);
    if (authorized)
      pending = pending.set('Authorization', mockCredentials.user.header());
    const response = await (body ? pending.send(body) : pending);
    answers.push(response);
    return response;
  };
  const check = async (workflowId: string, target = backend) => {
    const response = await call(
      target,
      'post',
      `/workflows/${workflowId}/health/check`,
      {},
    );
    expect(response.status).toBe(200);
    return workflowHealthSchema.parse(response.body);
  };
  const probe = (health: WorkflowHealth, id: string) =>
    health.probes.find(p => p.id === id)!;

  beforeAll(async () => {
    Object.assign(process.env, ENV);
    delete process.env.REPORT_CHANNEL;
    delete process.env.QSTASH_URL;
    delete process.env.QSTASH_TOKEN;
    delete process.env.QSTASH_CURRENT_SIGNING_KEY;
    upstash.listen({ onUnhandledRequest: 'bypass' });
    qstash = await startQStashLocal({ port: 0 });
    // One of the three in the environment as well as in the config.
    process.env.QSTASH_NEXT_SIGNING_KEY = qstash.nextSigningKey;
    upstash.events.on('request:start', ({ request: req }) => {
      if (req.url.startsWith(`${qstash.url}/v2/schedules`))
        tokenChecks.push(req.url);
    });
    const features = [
      workflowsPlugin,
      reporter,
      plain,
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ];
    const config = (qstashBlock: object, backendBlock: object = {}) =>
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          backend: backendBlock,
          workflows: { qstash: qstashBlock, tracked: [tracked] },
        },
      });
    backend = await startTestBackend({
      features: [
        ...features,
        config(qstashConfigFor(qstash)),
        recordingAuditor(audit),
        capturingRootLogger(logLines),
      ],
    });
    denied = await startTestBackend({
      features: [
        ...features,
        config(qstashConfigFor(qstash)),
        recordingAuditor(deniedAudit),
        capturingRootLogger(logLines),
        denyingPermissions([
          { permission: 'workflows.run.trigger' },
          { permission: 'workflows.workflow.read', resourceRef: 'plain' },
        ]),
      ],
    });
    // A token QStash does not know, no signing keys, and a cache Redis
    // that refuses the user (or is not there at all).
    misconfigured = await startTestBackend({
      features: [
        ...features,
        config(
          { url: qstash.url, token: 'qstash-wrong-token-s3cr3t' },
          {
            cache: {
              store: 'redis',
              connection: `redis://workflows:${REDIS_PASSWORD}@127.0.0.1:6379`,
            },
          },
        ),
        recordingAuditor(misconfiguredAudit),
        capturingRootLogger(logLines),
      ],
    });
  });

  afterAll(async () => {
    await misconfigured?.stop();
    await denied?.stop();
    await backend?.stop();
    await qstash?.close();
    upstash.close();
    process.env = savedEnv;
  });

  it('answers 401 without credentials, and the plain health route stays open', async () => {
    for (const [method, path] of [
      ['get', '/health/env'],
      ['get', '/workflows/reporter/health'],
      ['post', '/workflows/reporter/health/check'],
    ] as const) {
      expect((await call(backend, method, path, undefined, false)).status).toBe(
        401,
      );
    }
    expect(
      (await call(backend, 'get', '/health', undefined, false)).status,
    ).toBe(200);
  });

  it('lists each workflow with its variables (never their values) and live probes', async () => {
    const checksBefore = tokenChecks.length;
    const response = await call(backend, 'get', '/health/env');
    expect(response.status).toBe(200);
    const { items } = envHealthResponseSchema.parse(response.body);
    expect(items.map(i => i.workflowId).sort()).toEqual([
      'plain',
      'reporter',
      'tracked-hook',
    ]);

    const report = items.find(i => i.workflowId === 'reporter')!;
    expect(report.workflowTitle).toBe('Reporter');
    const states = Object.fromEntries(report.variables.map(v => [v.name, v]));
    expect(states.REPORT_WEBHOOK_URL).toEqual({
      name: 'REPORT_WEBHOOK_URL',
      kind: 'env',
      state: 'invalid',
      problem: 'not an https URL (plain http only to 127.0.0.1 or localhost)',
      fix: expect.stringContaining('REPORT_WEBHOOK_URL'),
    });
    expect(states.REPORT_CHANNEL).toMatchObject({
      state: 'missing',
      fix: 'set REPORT_CHANNEL',
    });
    expect(states.DATABASE_URL.state).toBe('present');
    expect(states['workflows.qstash.token']).toMatchObject({
      kind: 'config',
      state: 'present',
    });
    expect(states['workflows.qstash.currentSigningKey'].state).toBe('present');
    // Supplied by the config key when the variable is unset, and said so.
    expect(states.QSTASH_TOKEN).toEqual({
      name: 'QSTASH_TOKEN',
      kind: 'env',
      state: 'present',
      problem: null,
      fix: null,
      suppliedBy: { kind: 'config', name: 'workflows.qstash.token' },
    });
    expect(states.QSTASH_CURRENT_SIGNING_KEY).toMatchObject({
      state: 'present',
      suppliedBy: {
        kind: 'config',
        name: 'workflows.qstash.currentSigningKey',
      },
    });
    expect(states.QSTASH_NEXT_SIGNING_KEY).toMatchObject({
      state: 'present',
      suppliedBy: { kind: 'env', name: 'QSTASH_NEXT_SIGNING_KEY' },
    });
    // A variable without a config equivalent says nothing of where it is set.
    expect(states.DATABASE_URL).not.toHaveProperty('suppliedBy');
    // Something is missing or wrong: the workflow as a whole is failing.
    expect(report.verdict).toBe('failing');

    expect(report.probes.map(p => p.id)).toEqual([
      'database',
      'redis',
      'upstash-redis',
      'qstash-token',
      'signing-keys',
      'report-api',
    ]);
    expect(probe(report, 'database')).toMatchObject({
      title: 'Database (DATABASE_URL)',
      verdict: 'ok',
      cached: false,
      latencyMs: expect.any(Number),
    });
    expect(probe(report, 'redis')).toMatchObject({
      verdict: 'not-probed',
      message: 'not probed: the cache is not Redis (memory)',
      latencyMs: null,
    });
    expect(probe(report, 'upstash-redis').verdict).toBe('ok');
    expect(probe(report, 'qstash-token')).toMatchObject({
      verdict: 'ok',
      message: expect.stringMatching(/^QStash accepted the token/),
    });
    expect(probe(report, 'signing-keys')).toMatchObject({
      verdict: 'ok',
      message: 'in sync with QStash',
      fix: null,
    });
    // The runner's own probe, with the token it blurted out removed.
    expect(probe(report, 'report-api').message).toBe(
      'accepted token [redacted]',
    );

    const plainHealth = items.find(i => i.workflowId === 'plain')!;
    expect(plainHealth.probes.map(p => [p.id, p.title])).toEqual([
      ['database', 'Database (the plugin database)'],
      ['redis', 'Redis (the Backstage cache)'],
      ['qstash-token', 'QStash token (authenticated read)'],
      ['signing-keys', 'QStash signing keys (drift)'],
    ]);
    expect(plainHealth.verdict).toBe('ok');
    // Hosted elsewhere: no signing keys of this backend to compare.
    const trackedHealth = items.find(i => i.workflowId === 'tracked-hook')!;
    expect(trackedHealth.probes.map(p => p.id)).toEqual([
      'database',
      'redis',
      'qstash-token',
    ]);

    // Three workflows share one token check.
    expect(tokenChecks).toHaveLength(checksBefore + 1);
    const probeEvents = audit.filter(
      e => e.eventId === 'workflow-health-probe',
    );
    expect(probeEvents).toHaveLength(1);
    expect(probeEvents[0]).toMatchObject({
      severityLevel: 'low',
      outcome: 'succeeded',
      meta: {
        workflowIds: expect.arrayContaining([
          'plain',
          'reporter',
          'tracked-hook',
        ]),
        probes: expect.arrayContaining([
          { workflowId: 'reporter', probeId: 'report-api', verdict: 'ok' },
          { workflowId: 'plain', probeId: 'signing-keys', verdict: 'ok' },
        ]),
      },
    });
  });

  it('serves the next reads from the cache, without probing or auditing again', async () => {
    const runsBefore = reportProbeRuns;
    const checksBefore = tokenChecks.length;
    const eventsBefore = audit.length;
    const response = await call(backend, 'get', '/workflows/reporter/health');
    expect(response.status).toBe(200);
    const health = workflowHealthSchema.parse(response.body);
    expect(health.probes.every(p => p.cached)).toBe(true);
    expect(reportProbeRuns).toBe(runsBefore);
    expect(tokenChecks).toHaveLength(checksBefore);
    expect(audit).toHaveLength(eventsBefore);
  });

  it('re-checks past the cache, and audits the probe ids and verdicts', async () => {
    const runsBefore = reportProbeRuns;
    const health = await check('reporter');
    expect(health.probes.every(p => !p.cached)).toBe(true);
    expect(reportProbeRuns).toBe(runsBefore + 1);
    const event = audit.at(-1)!;
    expect(event).toMatchObject({
      eventId: 'workflow-health-check',
      outcome: 'succeeded',
      meta: {
        workflowId: 'reporter',
        probePlatforms: false,
        verdict: 'failing',
        probes: [
          { id: 'database', verdict: 'ok' },
          { id: 'redis', verdict: 'not-probed' },
          { id: 'upstash-redis', verdict: 'ok' },
          { id: 'qstash-token', verdict: 'ok' },
          { id: 'signing-keys', verdict: 'ok' },
          { id: 'report-api', verdict: 'ok' },
        ],
      },
    });
    expect(
      audit.filter(e => e.eventId === 'workflow-health-check'),
    ).toHaveLength(1);

    // What the re-check found is what the next read shows, from the cache.
    const next = workflowHealthSchema.parse(
      (await call(backend, 'get', '/workflows/reporter/health')).body,
    );
    expect(next.probes.map(p => p.checkedAt)).toEqual(
      health.probes.map(p => p.checkedAt),
    );
  });

  it('refuses a body with a wrong field, naming it', async () => {
    const response = await call(
      backend,
      'post',
      '/workflows/reporter/health/check',
      {
        probePlatforms: 'yes',
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('probePlatforms');
  });

  it('answers 404 for an unknown workflow and 403 without the permission', async () => {
    expect((await call(backend, 'get', '/workflows/nope/health')).status).toBe(
      404,
    );
    expect(
      (await call(backend, 'post', '/workflows/nope/health/check', {})).status,
    ).toBe(404);

    const unreadable = await call(denied, 'get', '/workflows/plain/health');
    expect(unreadable.status).toBe(403);
    expect(unreadable.body.error.message).toContain('workflows.workflow.read');
    const list = envHealthResponseSchema.parse(
      (await call(denied, 'get', '/health/env')).body,
    );
    expect(list.items.map(i => i.workflowId).sort()).toEqual([
      'reporter',
      'tracked-hook',
    ]);

    const recheck = await call(
      denied,
      'post',
      '/workflows/reporter/health/check',
      {},
    );
    expect(recheck.status).toBe(403);
    expect(recheck.body.error.message).toContain('workflows.run.trigger');
    expect(deniedAudit.at(-1)).toMatchObject({
      eventId: 'workflow-health-check',
      outcome: 'failed',
      error: expect.stringContaining('workflows.run.trigger'),
      meta: { workflowId: 'reporter' },
    });
  });

  it('follows signing-key rotations: in sync, one rotation behind, broken', async () => {
    const rotate = async () => {
      const response = await fetch(`${qstash.url}/v2/keys/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${qstash.token}` },
      });
      expect(response.status).toBe(200);
    };
    expect(probe(await check('plain'), 'signing-keys').verdict).toBe('ok');

    await rotate();
    const behind = await check('plain');
    expect(probe(behind, 'signing-keys')).toMatchObject({
      verdict: 'warning',
      message: expect.stringMatching(/^one rotation behind/),
      fix: "rotate: the next key is now current on QStash; set QSTASH_CURRENT_SIGNING_KEY to the old next and QSTASH_NEXT_SIGNING_KEY to QStash's new next",
    });
    expect(behind.verdict).toBe('warning');

    await rotate();
    const broken = await check('plain');
    expect(probe(broken, 'signing-keys')).toMatchObject({
      verdict: 'failing',
      message: expect.stringMatching(/^broken/),
    });
    expect(broken.verdict).toBe('failing');
  });

  it('fails the token probe for a token QStash refuses, and the key check without keys', async () => {
    const health = await check('plain', misconfigured);
    expect(probe(health, 'qstash-token')).toMatchObject({
      verdict: 'failing',
      message: 'QStash refused the token (HTTP 401)',
    });
    expect(probe(health, 'signing-keys')).toMatchObject({
      verdict: 'failing',
      message: expect.stringContaining('runner endpoints are disabled'),
    });
    const keys = Object.fromEntries(
      health.variables.map(v => [v.name, v.state]),
    );
    expect(keys['workflows.qstash.currentSigningKey']).toBe('missing');
    expect(probe(health, 'redis')).toMatchObject({
      verdict: 'failing',
      // The user is refused, or nothing listens where no Redis runs.
      message: expect.stringMatching(
        /^Redis at 127\.0\.0\.1:6379 refused the (credentials \(WRONGPASS\)|connection)$/,
      ),
      latencyMs: expect.any(Number),
    });
    expect(misconfiguredAudit.at(-1)).toMatchObject({
      eventId: 'workflow-health-check',
      outcome: 'succeeded',
      meta: {
        probes: expect.arrayContaining([{ id: 'redis', verdict: 'failing' }]),
      },
    });
  });

  it('says which of a variable and its config key is missing, in the fix', async () => {
    const health = await check('reporter', misconfigured);
    const current = health.variables.find(
      v => v.name === 'QSTASH_CURRENT_SIGNING_KEY',
    );
    expect(current).toEqual({
      name: 'QSTASH_CURRENT_SIGNING_KEY',
      kind: 'env',
      state: 'missing',
      problem: null,
      fix: 'set QSTASH_CURRENT_SIGNING_KEY, or workflows.qstash.currentSigningKey in the app config',
    });
  });

  it('never shows a configured secret in a response, a log line or an audit event', async () => {
    // One more of each kind of answer, errors included.
    await call(backend, 'get', '/health/env');
    await check('reporter');
    await call(denied, 'post', '/workflows/reporter/health/check', {});
    await call(misconfigured, 'get', '/health/env');
    await check('plain', misconfigured);

    const secrets = [
      qstash.token,
      qstash.currentSigningKey,
      qstash.nextSigningKey,
      'qstash-wrong-token-s3cr3t',
      ENV.REPORT_WEBHOOK_URL,
      'webhook-s3cr3t',
      ENV.REPORT_API_TOKEN,
      ENV.DATABASE_URL,
      'pg-pass-s3cr3t',
      ENV.UPSTASH_REDIS_REST_TOKEN,
      REDIS_PASSWORD,
    ];
    const everything = [
      ...answers.map(r => JSON.stringify({ headers: r.headers, text: r.text })),
      ...logLines,
      JSON.stringify(audit),
      JSON.stringify(deniedAudit),
      JSON.stringify(misconfiguredAudit),
    ].join('\n');
    expect(answers.length).toBeGreaterThan(15);
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
    }
  });
});
