import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createRunnerModule,
  createTestDatabases,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import { getRunResponseSchema } from '@internal/plugin-workflows-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { workflowsPlugin } from '../plugin';
import {
  denyingPermissions,
  RecordedAuditEvent,
  recordingAuditor,
} from '../__testUtils__/recordingServices';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const auth = () => mockCredentials.user.header();

type Server = http.Server;

const stepsRunner = createRunnerModule({
  id: 'steps',
  title: 'Three steps',
  description: 'Fetches, transforms in parallel, stores',
  owner: 'group:default/test',
  async run(context) {
    const fetched = await context.run('fetch', async () => ({ rows: 3 }));
    await Promise.all([
      context.run('transform a', async () => fetched.rows * 2),
      context.run('transform b', async () => 'b'),
    ]);
    await context.run('store', async () => 'stored\nline two');
  },
});

const failingRunner = createRunnerModule({
  id: 'failing',
  title: 'Always fails',
  description: 'Throws in its only step',
  owner: 'group:default/test',
  async run(context) {
    await context.run('load', async () => {
      throw new Error('LTA answered HTTP 404 for the download');
    });
  },
});

const sleepingRunner = createRunnerModule({
  id: 'sleeper',
  title: 'Sleeps',
  description: 'Waits half a minute between two steps',
  owner: 'group:default/test',
  async run(context) {
    await context.run('before sleep', async () => 'ok');
    await context.sleep('wait', 30);
    await context.run('after sleep', async () => 'late');
  },
});

async function startPortal(
  qstash: Awaited<ReturnType<typeof startQStashLocal>>,
  knex: Awaited<ReturnType<typeof databases.init>>,
  extra: {
    audit?: RecordedAuditEvent[];
    denied?: Array<{ permission: string; resourceRef?: string }>;
  } = {},
) {
  const backend = await startTestBackend({
    features: [
      workflowsPlugin,
      stepsRunner,
      failingRunner,
      sleepingRunner,
      mockServices.database.factory({ knex }),
      // Without a header the caller is nobody, as in a real backend.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      recordingAuditor(extra.audit ?? []),
      ...(extra.denied ? [denyingPermissions(extra.denied)] : []),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          workflows: {
            qstash: qstashConfigFor(qstash),
            history: { syncIntervalSeconds: 3600, streamPollMs: 100 },
          },
        },
      }),
    ],
  });
  return backend;
}

async function waitForStatus(
  server: Server,
  runId: string,
  status: string,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request(server)
      .get(`/api/workflows/runs/${runId}`)
      .set('Authorization', auth());
    if (response.status === 200 && response.body.run.status === status) {
      return getRunResponseSchema.parse(response.body);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `run ${runId} did not reach ${status}: ${JSON.stringify(
          response.body,
        )}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

async function trigger(server: Server, workflowId: string, body: object = {}) {
  const response = await request(server)
    .post(`/api/workflows/workflows/${workflowId}/trigger`)
    .set('Authorization', auth())
    .send(body);
  expect(response.status).toBe(201);
  return response.body.runId as string;
}

describe.each(databases.eachSupportedId())('runs API on %p', databaseId => {
  let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
  let backend: Awaited<ReturnType<typeof startPortal>>;
  const audit: RecordedAuditEvent[] = [];

  beforeAll(async () => {
    qstash = await startQStashLocal({ port: 0, retryTimeScale: 0.0005 });
    backend = await startPortal(qstash, await databases.init(databaseId), {
      audit,
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await qstash?.close();
  });

  it('triggers a run, records its steps and groups, and serves its log', async () => {
    const runId = await trigger(backend.server, 'steps', {
      body: { month: '2026-11' },
      label: 'manual-1',
    });
    const { run, steps } = await waitForStatus(
      backend.server,
      runId,
      'succeeded',
    );
    expect(run).toMatchObject({
      workflowId: 'steps',
      label: 'manual-1',
      failedStep: null,
    });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    const names = steps.map(s => s.name);
    expect(names[0]).toBe('fetch');
    // The two parallel steps run at once: either may be journaled first.
    expect(names.slice(1, 3).sort()).toEqual(['transform a', 'transform b']);
    expect(names.slice(3)).toEqual(['store']);
    expect(steps.every(s => s.state === 'succeeded')).toBe(true);
    expect(steps[0].output).toBe('{"rows":3}');
    expect(steps[0].attemptLog).toHaveLength(1);

    const log = await request(backend.server)
      .get(`/api/workflows/runs/${runId}/log`)
      .set('Authorization', auth());
    expect(log.status).toBe(200);
    expect(log.headers['content-type']).toMatch(/^text\/plain/);
    expect(log.headers['content-disposition']).toContain(`${runId}.log`);
    expect(log.text).toContain(`Run ${runId} of workflow steps (Three steps)`);
    expect(log.text).toMatch(/#\d+ store \[Run, sequential\] succeeded/);
    expect(log.text).toContain('\n      line two');

    const triggered = audit.find(
      e => e.eventId === 'workflow-run-trigger' && e.meta.runId === runId,
    );
    expect(triggered).toMatchObject({
      outcome: 'succeeded',
      meta: { workflowId: 'steps', label: 'manual-1' },
    });
  });

  it('shows the overview with last run, success rate and duration', async () => {
    const overview = await request(backend.server)
      .get('/api/workflows/workflows/steps')
      .set('Authorization', auth());
    expect(overview.status).toBe(200);
    expect(overview.body.stats.lastRun).toMatchObject({ status: 'succeeded' });
    expect(overview.body.stats.successRate7d).toBe(1);
    expect(overview.body.stats.runs7d).toBeGreaterThanOrEqual(1);
    expect(overview.body.stats.p50DurationMs7d).toBeGreaterThanOrEqual(0);
    const list = await request(backend.server)
      .get('/api/workflows/workflows')
      .set('Authorization', auth());
    expect(
      list.body.items.find((w: { id: string }) => w.id === 'steps').stats
        .lastRun.status,
    ).toBe('succeeded');
  });

  it('records a failed run with its step and error, findable by filters', async () => {
    const runId = await trigger(backend.server, 'failing');
    const { run } = await waitForStatus(backend.server, runId, 'failed');
    expect(run.failedStep).toBe('load');
    expect(run.error).toContain('LTA answered HTTP 404');

    const query = (q: string) =>
      request(backend.server)
        .get(`/api/workflows/runs?${q}`)
        .set('Authorization', auth());
    const ids = async (q: string) => {
      const response = await query(q);
      expect(response.status).toBe(200);
      return response.body.items.map((r: { runId: string }) => r.runId);
    };
    expect(await ids('state=failed')).toContain(runId);
    expect(await ids('state=succeeded')).not.toContain(runId);
    expect(await ids('error=http%20404')).toEqual([runId]);
    expect(await ids('step=load')).toEqual([runId]);
    expect(await ids('workflow=steps')).not.toContain(runId);
    expect(await ids('label=manual-1')).not.toContain(runId);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect(await ids(`from=${encodeURIComponent(future)}`)).toEqual([]);
    expect(await ids(`to=${encodeURIComponent(future)}`)).toContain(runId);
  });

  it('pages with a cursor that stays stable while new runs arrive', async () => {
    const started: string[] = [];
    for (let i = 0; i < 5; i++) {
      started.push(await trigger(backend.server, 'steps', { label: 'paged' }));
    }
    for (const id of started) {
      await waitForStatus(backend.server, id, 'succeeded');
    }
    const page = (cursor?: string) =>
      request(backend.server)
        .get(
          `/api/workflows/runs?label=paged&limit=2${
            cursor ? `&cursor=${cursor}` : ''
          }`,
        )
        .set('Authorization', auth());
    const first = await page();
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    // A run started now must not shift the pages that follow.
    const newest = await trigger(backend.server, 'steps', { label: 'paged' });
    const second = await page(first.body.nextCursor);
    const third = await page(second.body.nextCursor);
    expect(third.body.nextCursor).toBeNull();
    const seen = [
      ...first.body.items,
      ...second.body.items,
      ...third.body.items,
    ].map((r: { runId: string }) => r.runId);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(started));
    expect(seen).not.toContain(newest);
    const starts = [...first.body.items, ...second.body.items].map(
      (r: { startedAt: string }) => r.startedAt,
    );
    expect([...starts].sort().reverse()).toEqual(starts);
    await waitForStatus(backend.server, newest, 'succeeded');
  });

  it('streams a run while it changes and ends when it finishes', async () => {
    const runId = await trigger(backend.server, 'steps');
    const { port } = backend.server.address() as AddressInfo;
    const response = await fetch(
      `http://localhost:${port}/api/workflows/runs/${runId}/stream`,
      { headers: { authorization: auth() } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await response.text();
    const events = text
      .split('\n')
      .filter(line => line.startsWith('data: '))
      .map(line => getRunResponseSchema.parse(JSON.parse(line.slice(6))));
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0].run.status).toBe('running');
    expect(events[events.length - 1].run.status).toBe('succeeded');
    expect(events[events.length - 1].steps.map(s => s.name)).toContain('store');
  });

  it('cancels a sleeping run on QStash and refuses a second cancel', async () => {
    const runId = await trigger(backend.server, 'sleeper');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { body } = await request(backend.server)
        .get(`/api/workflows/runs/${runId}`)
        .set('Authorization', auth());
      if (
        body.steps?.some(
          (s: { name: string; state: string }) =>
            s.name === 'before sleep' && s.state === 'succeeded',
        )
      )
        break;
      if (Date.now() > deadline) throw new Error('the run never slept');
      await new Promise(r => setTimeout(r, 100));
    }
    const cancel = await request(backend.server)
      .post(`/api/workflows/runs/${runId}/cancel`)
      .set('Authorization', auth());
    expect(cancel.status).toBe(200);
    expect(cancel.body.run).toMatchObject({ runId, status: 'cancelled' });

    const logs = await fetch(
      `${qstash.url}/v2/workflows/logs?workflowRunId=${runId}`,
      { headers: { authorization: `Bearer ${qstash.token}` } },
    ).then(r => r.json());
    expect(logs.runs[0].workflowState).toBe('RUN_CANCELED');

    const again = await request(backend.server)
      .post(`/api/workflows/runs/${runId}/cancel`)
      .set('Authorization', auth());
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already finished (cancelled)');
    expect(
      audit
        .filter(e => e.eventId === 'workflow-run-cancel')
        .map(e => e.outcome),
    ).toEqual(['succeeded', 'failed']);
  });

  it('answers bad input with 400 naming the field, unknown ids with 404, no credentials with 401', async () => {
    const get = (path: string) =>
      request(backend.server).get(path).set('Authorization', auth());
    const cases: Array<[string, string]> = [
      ['/api/workflows/runs?state=bogus', 'state'],
      ['/api/workflows/runs?limit=0', 'limit'],
      ['/api/workflows/runs?limit=abc', 'limit'],
      ['/api/workflows/runs?from=yesterday', 'from'],
      ['/api/workflows/runs?cursor=not-a-cursor', 'cursor'],
    ];
    for (const [path, field] of cases) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body.error.message).toContain(`${field}:`);
    }
    const badLabel = await request(backend.server)
      .post('/api/workflows/workflows/steps/trigger')
      .set('Authorization', auth())
      .send({ label: 'has spaces' });
    expect(badLabel.status).toBe(400);
    expect(badLabel.body.error.message).toContain('label:');
    const badHeaders = await request(backend.server)
      .post('/api/workflows/workflows/steps/trigger')
      .set('Authorization', auth())
      .send({ headers: { 'bad header': 'x' } });
    expect(badHeaders.status).toBe(400);
    expect(badHeaders.body.error.message).toContain('headers');

    expect((await get('/api/workflows/runs/wfr_nope')).status).toBe(404);
    expect((await get('/api/workflows/runs/wfr_nope/log')).status).toBe(404);
    expect((await get('/api/workflows/workflows/nope')).status).toBe(404);
    expect((await get('/api/workflows/runs?workflow=nope')).status).toBe(404);
    const unknownTrigger = await request(backend.server)
      .post('/api/workflows/workflows/nope/trigger')
      .set('Authorization', auth())
      .send({});
    expect(unknownTrigger.status).toBe(404);

    for (const path of [
      '/api/workflows/runs',
      '/api/workflows/workflows/steps',
      '/api/workflows/runs/wfr_nope',
    ]) {
      expect((await request(backend.server).get(path)).status).toBe(401);
    }
    expect(
      (await request(backend.server).post('/api/workflows/runs/x/cancel'))
        .status,
    ).toBe(401);
  });
});

describe.each(databases.eachSupportedId())(
  'runs API permissions on %p',
  databaseId => {
    let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
    let backend: Awaited<ReturnType<typeof startPortal>>;
    const audit: RecordedAuditEvent[] = [];

    beforeAll(async () => {
      qstash = await startQStashLocal({ port: 0, retryTimeScale: 0.0005 });
      backend = await startPortal(qstash, await databases.init(databaseId), {
        audit,
        denied: [
          { permission: 'workflows.run.trigger', resourceRef: 'steps' },
          { permission: 'workflows.run.cancel' },
          { permission: 'workflows.workflow.read', resourceRef: 'failing' },
        ],
      });
    });
    afterAll(async () => {
      await backend?.stop();
      await qstash?.close();
    });

    it('denies trigger and cancel with the permission name and audits the failure', async () => {
      const denied = await request(backend.server)
        .post('/api/workflows/workflows/steps/trigger')
        .set('Authorization', auth())
        .send({});
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('workflows.run.trigger');
      expect(audit.at(-1)).toMatchObject({
        eventId: 'workflow-run-trigger',
        outcome: 'failed',
        meta: { workflowId: 'steps' },
      });

      // The allow case next to it: the same user may trigger the sleeper.
      const allowed = await request(backend.server)
        .post('/api/workflows/workflows/sleeper/trigger')
        .set('Authorization', auth())
        .send({});
      expect(allowed.status).toBe(201);
      expect(audit.at(-1)).toMatchObject({ outcome: 'succeeded' });

      const cancel = await request(backend.server)
        .post(`/api/workflows/runs/${allowed.body.runId}/cancel`)
        .set('Authorization', auth());
      expect(cancel.status).toBe(403);
      expect(cancel.body.error.message).toContain('workflows.run.cancel');
      expect(audit.at(-1)).toMatchObject({
        eventId: 'workflow-run-cancel',
        outcome: 'failed',
      });
    });

    it('hides the runs and the workflow the caller may not read', async () => {
      const list = await request(backend.server)
        .get('/api/workflows/workflows')
        .set('Authorization', auth());
      expect(list.body.items.map((w: { id: string }) => w.id).sort()).toEqual([
        'sleeper',
        'steps',
      ]);
      const readable = await request(backend.server)
        .get('/api/workflows/runs?workflow=failing')
        .set('Authorization', auth());
      expect(readable.status).toBe(403);
      expect(readable.body.error.message).toContain('workflows.workflow.read');
      const page = await request(backend.server)
        .get('/api/workflows/runs')
        .set('Authorization', auth());
      expect(page.status).toBe(200);
      expect(
        page.body.items.every(
          (r: { workflowId: string }) => r.workflowId !== 'failing',
        ),
      ).toBe(true);
    });
  },
);
