import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  dlqActionResponseSchema,
  triageGroupFailuresResponseSchema,
  triageResponseSchema,
} from '@internal/plugin-workflows-common';
import {
  createRunnerModule,
  createTestDatabases,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import { startQStashLocal } from '@internal/qstash-local';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { workflowsPlugin } from '../plugin';
import {
  denyingPermissions,
  RecordedAuditEvent,
  recordingAuditor,
} from '../__testUtils__/recordingServices';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const auth = () => mockCredentials.user.header();

/** What the flaky runner's steps did, and whether publishing works. */
const effects = { prepared: 0, published: 0, publishBroken: true };

const flakyRunner = createRunnerModule({
  id: 'flaky',
  title: 'Flaky publisher',
  description: 'Prepares a post, then publishes it to Telegram',
  owner: 'group:default/test',
  async run(context) {
    const post = await context.run('prepare', async () => {
      effects.prepared += 1;
      return { text: 'COE results' };
    });
    await context.run('publish', async () => {
      if (effects.publishBroken) {
        throw new Error(
          `Telegram answered HTTP 500: Internal Server Error at ${new Date().toISOString()}`,
        );
      }
      effects.published += 1;
      return post.text;
    });
  },
});

/** Hands the test the scheduler, to run the sync task on demand. */
function capturingScheduler(target: { scheduler?: SchedulerService }) {
  return createBackendModule({
    pluginId: 'workflows',
    moduleId: 'test-scheduler',
    register(env) {
      env.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          target.scheduler = scheduler;
        },
      });
    },
  });
}

describe.each(databases.eachSupportedId())('triage API on %p', databaseId => {
  let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let denied: Awaited<ReturnType<typeof startTestBackend>>;
  const audit: RecordedAuditEvent[] = [];
  const captured: { scheduler?: SchedulerService } = {};
  // A tracked endpoint that takes plain QStash messages; 500 while broken.
  const plain = { broken: true, received: 0 };
  let plainServer: http.Server;
  const plainUrl = () =>
    `http://127.0.0.1:${(plainServer.address() as AddressInfo).port}/hook`;
  // The Discord failure alerts, as a webhook would receive them.
  const alerts: { fields: { name: string; value: string }[] }[] = [];
  let alertServer: http.Server;

  const config = () =>
    mockServices.rootConfig.factory({
      data: {
        app: { baseUrl: 'http://portal.test' },
        workflows: {
          qstash: qstashConfigFor(qstash),
          alerts: {
            discordWebhookUrl: `http://127.0.0.1:${
              (alertServer.address() as AddressInfo).port
            }/webhook`,
          },
          tracked: [
            {
              id: 'plain-hook',
              title: 'Plain hook',
              owner: 'group:default/test',
              url: plainUrl(),
            },
          ],
          // Every pass lists the whole DLQ, so departures show at once.
          history: { syncIntervalSeconds: 3600, dlqFullListingMinutes: 1e-6 },
        },
      },
    });

  const api = () => ({
    get: (path: string) =>
      request(backend.server)
        .get(`/api/workflows${path}`)
        .set('Authorization', auth()),
    act: (body: object) =>
      request(backend.server)
        .post('/api/workflows/dlq/actions')
        .set('Authorization', auth())
        .send(body),
  });

  /** Upstash's own view of the workflow DLQ, every page of it. */
  const qstashDlqIds = async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await fetch(
        `${qstash.url}/v2/workflows/dlq${
          cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''
        }`,
        { headers: { authorization: `Bearer ${qstash.token}` } },
      );
      const body = (await response.json()) as {
        messages: { dlqId: string }[];
        cursor?: string;
      };
      ids.push(...body.messages.map(m => m.dlqId));
      cursor = body.cursor || undefined;
    } while (cursor);
    return ids;
  };

  const sync = () => captured.scheduler!.triggerTask('workflows-run-sync');

  const triggerFailingRun = async () => {
    const response = await request(backend.server)
      .post('/api/workflows/workflows/flaky/trigger')
      .set('Authorization', auth())
      .send({});
    expect(response.status).toBe(201);
    const runId = response.body.runId as string;
    // Failed once QStash has given up and written the DLQ entry.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const dlq = await fetch(
        `${qstash.url}/v2/workflows/dlq?workflowRunId=${runId}`,
        { headers: { authorization: `Bearer ${qstash.token}` } },
      ).then(r => r.json() as Promise<{ messages: { dlqId: string }[] }>);
      if (dlq.messages.length > 0)
        return { runId, dlqId: dlq.messages[0].dlqId };
      if (Date.now() > deadline)
        throw new Error(`run ${runId} never reached the DLQ`);
      await new Promise(r => setTimeout(r, 100));
    }
  };

  const waitForRun = async (runId: string, status: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      await sync();
      const response = await api().get(`/runs/${runId}`);
      if (response.status === 200 && response.body.run.status === status)
        return;
      if (Date.now() > deadline) {
        throw new Error(
          `run ${runId} is not ${status}: ${JSON.stringify(response.body)}`,
        );
      }
      await new Promise(r => setTimeout(r, 200));
    }
  };

  const groupOf = async () => {
    const response = await api().get('/triage?workflow=flaky');
    expect(response.status).toBe(200);
    const triage = triageResponseSchema.parse(response.body);
    return { triage, group: triage.groups.find(g => g.step === 'publish') };
  };

  const failuresOf = async (groupId: string) => {
    const response = await api().get(`/triage/groups/${groupId}/failures`);
    expect(response.status).toBe(200);
    return triageGroupFailuresResponseSchema.parse(response.body);
  };

  beforeAll(async () => {
    alertServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        alerts.push(JSON.parse(body).embeds[0]);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id":"1"}');
      });
    });
    await new Promise<void>(resolve =>
      alertServer.listen(0, '127.0.0.1', resolve),
    );
    plainServer = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (plain.broken) {
          res.writeHead(500).end('hook is down');
          return;
        }
        plain.received += 1;
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>(resolve =>
      plainServer.listen(0, '127.0.0.1', resolve),
    );
    qstash = await startQStashLocal({ port: 0, retryTimeScale: 0.0005 });
    const knex = await databases.init(databaseId);
    backend = await startTestBackend({
      features: [
        workflowsPlugin,
        flakyRunner,
        capturingScheduler(captured),
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        recordingAuditor(audit),
        config(),
      ],
    });
    denied = await startTestBackend({
      features: [
        workflowsPlugin,
        flakyRunner,
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        denyingPermissions([
          { permission: 'workflows.dlq.manage' },
          { permission: 'workflows.workflow.read', resourceRef: 'flaky' },
        ]),
        config(),
      ],
    });
  });
  afterAll(async () => {
    await denied?.stop();
    await backend?.stop();
    await qstash?.close();
    await new Promise(resolve => alertServer?.close(resolve));
    await new Promise(resolve => plainServer?.close(resolve));
  });

  beforeEach(() => {
    effects.publishBroken = true;
  });

  it('groups failed runs with their DLQ entries and a probable cause', async () => {
    const first = await triggerFailingRun();
    const second = await triggerFailingRun();
    await sync();

    const { triage, group } = await groupOf();
    expect(triage.lastSyncedAt).not.toBeNull();
    expect(group).toBeDefined();
    // Two runs, different timestamps in their errors, one group.
    expect(group!.count).toBeGreaterThanOrEqual(2);
    expect(group!.workflowTitle).toBe('Flaky publisher');
    expect(group!.signature).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(group!.cause).toMatchObject({ kind: 'upstream-5xx', status: 500 });
    expect(group!.dlqIds).toEqual(
      expect.arrayContaining([first.dlqId, second.dlqId]),
    );
    expect(group!.inDlqCount).toBe(group!.dlqIds.length);
    expect(group!.exampleRunIds).toContain(second.runId);
    expect(group!.series.reduce((a, b) => a + b, 0)).toBe(group!.count);

    // The failure alert links to this very group, also after the sync
    // brought QStash's own wording of the error.
    const alert = alerts.find(a =>
      a.fields.some(f => f.name === 'Run' && f.value.includes(first.runId)),
    );
    const link = alert?.fields.find(f => f.name === 'Same failure')?.value;
    expect(link).toContain(
      `http://portal.test/failures?group=${group!.groupId})`,
    );

    const failures = await failuresOf(group!.groupId);
    const item = failures.items.find(i => i.runId === first.runId);
    expect(item).toMatchObject({
      runStatus: 'failed',
      step: 'publish',
      dlq: { dlqId: first.dlqId, source: 'workflow', state: 'in-dlq' },
    });
  });

  it('resumes only the failed step, reports an unknown id and audits the outcome', async () => {
    const { runId, dlqId } = await triggerFailingRun();
    await sync();
    const preparedBefore = effects.prepared;
    const publishedBefore = effects.published;
    effects.publishBroken = false;

    const response = await api().act({
      action: 'resume',
      dlqIds: [dlqId, 'dlq_unknown'],
    });
    expect(response.status).toBe(200);
    const body = dlqActionResponseSchema.parse(response.body);
    expect(body).toMatchObject({ succeeded: 1, failed: 1 });
    const resumed = body.outcomes.find(o => o.dlqId === dlqId)!;
    expect(resumed.ok).toBe(true);
    expect(resumed.workflowRunId).toMatch(/^wfr_/);
    expect(body.outcomes.find(o => o.dlqId === 'dlq_unknown')).toMatchObject({
      ok: false,
      error: expect.stringContaining('Not in the dead letter queue'),
    });

    await waitForRun(resumed.workflowRunId!, 'succeeded');
    // The finished step was replayed from QStash, not run again.
    expect(effects.prepared).toBe(preparedBefore);
    expect(effects.published).toBe(publishedBefore + 1);
    expect(await qstashDlqIds()).not.toContain(dlqId);

    const { group } = await groupOf();
    const failures = await failuresOf(group!.groupId);
    expect(failures.items.find(i => i.runId === runId)?.dlq).toMatchObject({
      state: 'resumed',
      resolvedRunId: resumed.workflowRunId,
      resolvedRunStatus: 'succeeded',
    });
    expect(group!.dlqIds).not.toContain(dlqId);

    const event = audit.find(
      e =>
        e.eventId === 'workflow-dlq-action' &&
        (e.meta.dlqIds as string[]).includes(dlqId),
    );
    expect(event).toMatchObject({
      outcome: 'succeeded',
      meta: {
        action: 'resume',
        succeeded: 1,
        failed: 1,
        workflowIds: ['flaky'],
      },
    });
  });

  it('restarts from the first step', async () => {
    const { dlqId } = await triggerFailingRun();
    await sync();
    const preparedBefore = effects.prepared;
    effects.publishBroken = false;
    const response = await api().act({ action: 'restart', dlqIds: [dlqId] });
    const body = dlqActionResponseSchema.parse(response.body);
    expect(body.succeeded).toBe(1);
    await waitForRun(body.outcomes[0].workflowRunId!, 'succeeded');
    expect(effects.prepared).toBe(preparedBefore + 1);
  });

  it('deletes in bulk and reports an entry that already left QStash', async () => {
    const a = await triggerFailingRun();
    const b = await triggerFailingRun();
    await sync();
    // b leaves QStash behind the portal's back, before the next sync.
    const removed = await fetch(`${qstash.url}/v2/workflows/dlq/${b.dlqId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${qstash.token}` },
    });
    expect(removed.status).toBe(200);

    const response = await api().act({
      action: 'delete',
      dlqIds: [a.dlqId, b.dlqId],
    });
    const body = dlqActionResponseSchema.parse(response.body);
    expect(body).toMatchObject({ succeeded: 1, failed: 1 });
    expect(body.outcomes[0]).toMatchObject({ dlqId: a.dlqId, ok: true });
    expect(body.outcomes[1]).toMatchObject({ dlqId: b.dlqId, ok: false });
    expect(body.outcomes[1].error).toMatch(/not found/i);
    expect(await qstashDlqIds()).not.toContain(a.dlqId);

    // The full listing of the next sync sees that b left the DLQ.
    await sync();
    const { group } = await groupOf();
    const failures = await failuresOf(group!.groupId);
    const states = new Map(
      failures.items.map(i => [i.dlq?.dlqId, i.dlq?.state]),
    );
    expect(states.get(a.dlqId)).toBe('deleted');
    expect(states.get(b.dlqId)).toBe('gone');
  });

  it('reports QStash refusing to retry a failure function that succeeded', async () => {
    const { dlqId } = await triggerFailingRun();
    await sync();
    const response = await api().act({
      action: 'retry-failure-function',
      dlqIds: [dlqId],
    });
    const body = dlqActionResponseSchema.parse(response.body);
    // The runner's failure function ran fine: only a failed one is retried.
    expect(body.outcomes[0]).toMatchObject({ ok: false });
    expect(body.outcomes[0].error).toMatch(/only CALLBACK_FAIL can be retried/);
    expect(await qstashDlqIds()).toContain(dlqId);
  });

  it('groups a dead message of a tracked endpoint and redelivers it', async () => {
    plain.broken = true;
    const published = await fetch(`${qstash.url}/v2/publish/${plainUrl()}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${qstash.token}`,
        'Upstash-Retries': '0',
      },
      body: 'ping',
    }).then(r => r.json() as Promise<{ messageId: string }>);
    let dlqId: string | undefined;
    for (let i = 0; !dlqId && i < 100; i++) {
      const listed = await fetch(
        `${qstash.url}/v2/dlq?messageId=${published.messageId}`,
        { headers: { authorization: `Bearer ${qstash.token}` } },
      ).then(r => r.json() as Promise<{ messages: { dlqId: string }[] }>);
      dlqId = listed.messages[0]?.dlqId;
      if (!dlqId) await new Promise(r => setTimeout(r, 100));
    }
    expect(dlqId).toBeDefined();
    await sync();

    const triage = triageResponseSchema.parse(
      (await api().get('/triage?workflow=plain-hook')).body,
    );
    expect(triage.groups).toHaveLength(1);
    expect(triage.groups[0]).toMatchObject({
      count: 1,
      inDlqCount: 1,
      dlqIds: [dlqId],
      cause: { kind: 'upstream-5xx', status: 500 },
    });
    const failures = await failuresOf(triage.groups[0].groupId);
    expect(failures.items[0]).toMatchObject({
      runId: null,
      dlq: { dlqId, source: 'message', state: 'in-dlq' },
    });

    // Resuming is for workflow runs; a message is redelivered.
    const wrong = dlqActionResponseSchema.parse(
      (await api().act({ action: 'resume', dlqIds: [dlqId] })).body,
    );
    expect(wrong.outcomes[0].error).toContain('redelivered');
    plain.broken = false;
    const redelivered = dlqActionResponseSchema.parse(
      (await api().act({ action: 'redeliver', dlqIds: [dlqId] })).body,
    );
    expect(redelivered.succeeded).toBe(1);
    for (let i = 0; plain.received === 0 && i < 100; i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    expect(plain.received).toBe(1);
    const after = await failuresOf(triage.groups[0].groupId);
    expect(after.items[0].dlq?.state).toBe('retried');
  });

  it('refuses an empty selection, an unknown action and a bad window', async () => {
    const before = audit.length;
    const empty = await api().act({ action: 'resume', dlqIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain(
      'select at least one dead letter entry',
    );
    const unknown = await api().act({ action: 'explode', dlqIds: ['dlq_1'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('action');
    // Refused before any audit event or QStash call.
    expect(audit.length).toBe(before);
    const window = await api().get(
      `/triage?from=${encodeURIComponent(
        '2026-12-02T00:00:00Z',
      )}&to=${encodeURIComponent('2026-12-01T00:00:00Z')}`,
    );
    expect(window.status).toBe(400);
    expect(window.body.error.message).toContain('from must be before to');
    const notIso = await api().get('/triage?from=yesterday');
    expect(notIso.status).toBe(400);
  });

  it('answers 401 without credentials on every route', async () => {
    for (const call of [
      request(backend.server).get('/api/workflows/triage'),
      request(backend.server).get('/api/workflows/triage/groups/abc/failures'),
      request(backend.server)
        .post('/api/workflows/dlq/actions')
        .send({ action: 'delete', dlqIds: ['dlq_1'] }),
    ]) {
      expect((await call).status).toBe(401);
    }
  });

  it('answers 403 without the permissions, and hides unreadable workflows', async () => {
    const { dlqId } = await triggerFailingRun();
    await sync();
    const act = await request(denied.server)
      .post('/api/workflows/dlq/actions')
      .set('Authorization', auth())
      .send({ action: 'delete', dlqIds: [dlqId] });
    expect(act.status).toBe(403);
    expect(act.body.error.message).toContain('workflows.dlq.manage');
    expect(await qstashDlqIds()).toContain(dlqId);

    const filtered = await request(denied.server)
      .get('/api/workflows/triage?workflow=flaky')
      .set('Authorization', auth());
    expect(filtered.status).toBe(403);
    const all = await request(denied.server)
      .get('/api/workflows/triage')
      .set('Authorization', auth());
    expect(all.status).toBe(200);
    expect(
      all.body.groups.filter(
        (g: { workflowId: string }) => g.workflowId === 'flaky',
      ),
    ).toEqual([]);

    const { group } = await groupOf();
    const failures = await request(denied.server)
      .get(`/api/workflows/triage/groups/${group!.groupId}/failures`)
      .set('Authorization', auth());
    expect(failures.status).toBe(403);
  });

  it('acts on every entry of a group in the DLQ, past the listed 100, page by page', async () => {
    // More failures than the group's failures list shows.
    for (let i = 0; i < 105; i += 15) {
      await Promise.all(
        Array.from({ length: Math.min(15, 105 - i) }, triggerFailingRun),
      );
    }
    await sync();
    const { triage, group } = await groupOf();
    const listed = await failuresOf(group!.groupId);
    expect(listed.items).toHaveLength(100);
    expect(group!.inDlqCount).toBeGreaterThanOrEqual(105);
    const inQStash = (await qstashDlqIds()).length;
    expect(inQStash).toBeGreaterThanOrEqual(105);
    const selection = {
      groupId: group!.groupId,
      from: triage.from,
      to: triage.to,
    };

    const refused = await request(denied.server)
      .post('/api/workflows/dlq/actions')
      .set('Authorization', auth())
      .send({ action: 'delete', group: selection });
    expect(refused.status).toBe(403);
    expect((await qstashDlqIds()).length).toBe(inQStash);

    const handled: string[] = [];
    let after: string | undefined;
    let pages = 0;
    let firstPending: number | undefined;
    do {
      const response = await api().act({
        action: 'delete',
        group: { ...selection, after },
      });
      expect(response.status).toBe(200);
      const body = dlqActionResponseSchema.parse(response.body);
      firstPending ??= body.groupPending;
      expect(body.failed).toBe(0);
      handled.push(...body.outcomes.map(o => o.dlqId));
      after = body.nextCursor ?? undefined;
      pages += 1;
    } while (after && pages < 10);

    expect(pages).toBe(Math.ceil(group!.inDlqCount / 100));
    expect(firstPending).toBe(group!.inDlqCount);
    expect(new Set(handled).size).toBe(group!.inDlqCount);
    expect(await qstashDlqIds()).toEqual(expect.not.arrayContaining(handled));
    expect((await qstashDlqIds()).length).toBe(inQStash - handled.length);
    const after2 = await groupOf();
    expect(after2.group!.inDlqCount).toBe(0);

    const events = audit.filter(
      e =>
        e.eventId === 'workflow-dlq-action' &&
        (e.meta.group as { groupId?: string } | null)?.groupId ===
          group!.groupId,
    );
    expect(events.filter(e => e.outcome === 'succeeded')).toHaveLength(pages);

    // Nothing of the group is left: the selection is empty and refused.
    const empty = await api().act({ action: 'delete', group: selection });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain(
      'no entry of this group is in a dead letter queue',
    );
    const badCursor = await api().act({
      action: 'delete',
      group: { ...selection, after: 'not-a-cursor' },
    });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.message).toContain('group.after');
    const both = await api().act({
      action: 'delete',
      dlqIds: ['dlq_1'],
      group: selection,
    });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('not both');
  });
});
