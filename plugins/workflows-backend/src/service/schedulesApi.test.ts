import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  listSchedulesResponseSchema,
  scheduleConflictResponseSchema,
  schedulePreviewResponseSchema,
  scheduleResponseSchema,
  scheduleSaveResponseSchema,
  ScheduleView,
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

jest.setTimeout(120_000);

const databases = createTestDatabases();
const auth = () => mockCredentials.user.header();

/** A forwarded credential: it must never come back from the API. */
const SECRET_HEADER_VALUE = 'Bearer sched-secret-7f3a';

const nightlyRunner = createRunnerModule({
  id: 'nightly',
  title: 'Nightly report',
  description: 'Builds the report every night',
  owner: 'group:default/test',
  schedule: { cron: '0 2 * * *', timezone: 'Asia/Singapore' },
  async run(context) {
    await context.run('build', async () => 'built');
  },
});

interface Delivery {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Where the schedules deliver; `/slow` answers after two seconds. */
async function startDestination() {
  const deliveries: Delivery[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    deliveries.push({
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    if (req.url === '/slow') await new Promise(r => setTimeout(r, 2000));
    res.writeHead(200).end('ok');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

describe.each(databases.eachSupportedId())(
  'schedules API on %p',
  databaseId => {
    let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
    let destination: Awaited<ReturnType<typeof startDestination>>;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let denied: Awaited<ReturnType<typeof startTestBackend>>;
    const audit: RecordedAuditEvent[] = [];
    const deniedAudit: RecordedAuditEvent[] = [];

    const portal = (server = backend.server) => ({
      get: (path: string) =>
        request(server)
          .get(`/api/workflows${path}`)
          .set('Authorization', auth()),
      post: (path: string, body: object = {}) =>
        request(server)
          .post(`/api/workflows${path}`)
          .set('Authorization', auth())
          .send(body),
      put: (path: string, body: object) =>
        request(server)
          .put(`/api/workflows${path}`)
          .set('Authorization', auth())
          .send(body),
      delete: (path: string) =>
        request(server)
          .delete(`/api/workflows${path}`)
          .set('Authorization', auth()),
    });

    /** Upstash's own view, read past the portal. */
    const onQStash = async (scheduleId?: string) => {
      const response = await fetch(
        `${qstash.url}/v2/schedules${scheduleId ? `/${scheduleId}` : ''}`,
        { headers: { authorization: `Bearer ${qstash.token}` } },
      );
      return { status: response.status, body: await response.json() };
    };

    /** A schedule written by someone else, straight to the REST API. */
    const writeOnQStash = async (
      scheduleId: string,
      path: string,
      cron: string,
      extra: Record<string, string> = {},
      body?: string,
    ) => {
      const response = await fetch(
        `${qstash.url}/v2/schedules/${destination.url}${path}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${qstash.token}`,
            'Upstash-Cron': cron,
            'Upstash-Schedule-Id': scheduleId,
            ...extra,
          },
          body,
        },
      );
      expect(response.status).toBe(200);
    };

    const view = async (scheduleId: string): Promise<ScheduleView> => {
      const response = await portal().get(`/schedules/${scheduleId}`);
      expect(response.status).toBe(200);
      return scheduleResponseSchema.parse(response.body).schedule;
    };

    const backendFeatures = (
      knex: Awaited<ReturnType<typeof databases.init>>,
    ) => [
      workflowsPlugin,
      nightlyRunner,
      mockServices.database.factory({ knex }),
      // Without a header the caller is nobody, as in a real backend.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          workflows: {
            // Both backends share the database: the same public URL for their runners.
            runnerBaseUrl: 'http://portal.test/api/workflows',
            qstash: qstashConfigFor(qstash),
            history: { syncIntervalSeconds: 3600 },
          },
        },
      }),
    ];

    beforeAll(async () => {
      qstash = await startQStashLocal({ port: 0, retryTimeScale: 0.0005 });
      destination = await startDestination();
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [...backendFeatures(knex), recordingAuditor(audit)],
      });
      denied = await startTestBackend({
        features: [
          ...backendFeatures(knex),
          recordingAuditor(deniedAudit),
          denyingPermissions([
            { permission: 'workflows.schedule.update' },
            { permission: 'workflows.workflow.read', resourceRef: 'nightly' },
          ]),
        ],
      });
      await writeOnQStash(
        'foreign',
        '/foreign',
        'CRON_TZ=America/New_York 0 9 * * 1-5',
        {
          'Content-Type': 'text/plain',
          'Upstash-Forward-Authorization': SECRET_HEADER_VALUE,
          'Upstash-Retries': '1',
          'Upstash-Callback': `${destination.url}/callback`,
          'Upstash-Label': 'reports',
        },
        'weekday digest',
      );
    });
    afterAll(async () => {
      await denied?.stop();
      await backend?.stop();
      await qstash?.close();
      await destination?.close();
    });

    it('lists every schedule, joined to its workflow, with the cron in words and the next fire times in its zone', async () => {
      const response = await portal().get('/schedules');
      expect(response.status).toBe(200);
      const list = listSchedulesResponseSchema.parse(response.body);
      expect(list.items.map(s => s.scheduleId)).toEqual([
        'foreign',
        'workflows-nightly',
      ]);

      const nightly = list.items.find(
        s => s.scheduleId === 'workflows-nightly',
      )!;
      expect(nightly).toMatchObject({
        workflowId: 'nightly',
        workflowTitle: 'Nightly report',
        cron: '0 2 * * *',
        timezone: 'Asia/Singapore',
        qstashCron: 'CRON_TZ=Asia/Singapore 0 2 * * *',
        description: 'At 02:00',
        isPaused: false,
        lastFireTime: null,
        definitionSource: 'portal',
        unknownFields: [],
        headerNames: ['Content-Type'],
        body: '{}',
      });
      expect(nightly.nextFireTimes).toHaveLength(5);
      for (const time of nightly.nextFireTimes) {
        expect(time.local).toMatch(/T02:00:00\+08:00$/);
      }
      expect(nightly.qstashNextFireTime).toBe(nightly.nextFireTimes[0].at);

      const foreign = list.items.find(s => s.scheduleId === 'foreign')!;
      expect(foreign).toMatchObject({
        workflowId: null,
        cron: '0 9 * * 1-5',
        timezone: 'America/New_York',
        description: 'At 09:00, Monday through Friday',
        retries: 1,
        callback: `${destination.url}/callback`,
        body: 'weekday digest',
        headerNames: ['Authorization', 'Content-Type'],
        // QStash never returns the timeout, and the portal did not write this one.
        definitionSource: 'qstash',
        unknownFields: ['timeoutSeconds'],
      });
      expect(foreign.nextFireTimes).toHaveLength(5);
      for (const time of foreign.nextFireTimes) {
        expect(time.local).toMatch(/T09:00:00-0[45]:00$/);
      }
      expect(response.text).not.toContain(SECRET_HEADER_VALUE);
    });

    it('refuses bad definitions with 400 naming the field before QStash is called', async () => {
      const before = await onQStash();
      const valid = {
        destination: `${destination.url}/new`,
        cron: '0 9 * * *',
      };
      const cases: Array<[object, string, RegExp]> = [
        [{ cron: 'every day' }, 'cron', /has 2 fields/],
        [{ cron: '61 * * * *' }, 'cron', /Invalid value for minute/],
        [{ cron: '0 0 9 * * 1' }, 'cron', /has 6 fields/],
        [{ cron: '*/30 * * * * *' }, 'cron', /more than once a minute/],
        [{ timezone: 'Mars/Olympus' }, 'timezone', /unknown time zone/],
        [
          { cron: 'CRON_TZ=Mars/Olympus 0 9 * * *' },
          'cron',
          /unknown time zone/,
        ],
        [{ destination: 'ftp://files.example/x' }, 'destination', /http\(s\)/],
        [{ destination: 'not a url' }, 'destination', /http\(s\)/],
        [{ callback: 'mailto:ops@example.com' }, 'callback', /http\(s\)/],
        [{ retries: 21 }, 'retries', /20/],
        [{ retries: -1 }, 'retries', /0/],
        [{ retries: 1.5 }, 'retries', /integer/],
        [{ timeoutSeconds: 0 }, 'timeoutSeconds', /1/],
        [{ timeoutSeconds: 7201 }, 'timeoutSeconds', /7200/],
        [{ headers: { 'Upstash-Retries': '9' } }, 'headers', /Upstash-\*/],
        [{ method: 'FETCH' }, 'method', /GET/],
      ];
      for (const [change, field, reason] of cases) {
        const created = await portal().post('/schedules', {
          scheduleId: 'refused',
          ...valid,
          ...change,
        });
        expect({ change, status: created.status }).toEqual({
          change,
          status: 400,
        });
        expect(created.body.error.message).toMatch(
          new RegExp(`Invalid body: ${field}[.:]`),
        );
        expect(created.body.error.message).toMatch(reason);

        const version = (await view('foreign')).version;
        const updated = await portal().put('/schedules/foreign', {
          ...change,
          expectedVersion: version,
        });
        expect({ change, status: updated.status }).toEqual({
          change,
          status: 400,
        });
        expect(updated.body.error.message).toMatch(
          new RegExp(`Invalid body: ${field}[.:]`),
        );

        const previewed = await portal().post('/schedules/preview', {
          definition: { ...valid, ...change },
        });
        expect({ change, status: previewed.status }).toEqual({
          change,
          status: 400,
        });
        expect(previewed.body.error.message).toMatch(
          new RegExp(`Invalid body: definition\\.${field}[.:]`),
        );
      }
      // Nothing was created or changed on QStash.
      expect(await onQStash()).toEqual(before);
    });

    it('creates, then edits without losing the body, headers and timeout QStash does not return', async () => {
      const created = await portal().post('/schedules', {
        scheduleId: 'slow-report',
        destination: `${destination.url}/slow`,
        cron: '0 4 * * *',
        body: 'hello',
        headers: { 'X-Team': 'data', Authorization: SECRET_HEADER_VALUE },
        retries: 0,
        timeoutSeconds: 1,
      });
      expect(created.status).toBe(201);
      const saved = scheduleSaveResponseSchema.parse(created.body);
      expect(saved.schedule).toMatchObject({
        scheduleId: 'slow-report',
        timeoutSeconds: 1,
        definitionSource: 'portal',
        unknownFields: [],
      });
      expect(audit.at(-1)).toMatchObject({
        eventId: 'workflow-schedule-change',
        outcome: 'succeeded',
        meta: { action: 'create', scheduleId: 'slow-report', workflowId: null },
      });
      const again = await portal().post('/schedules', {
        scheduleId: 'slow-report',
        destination: `${destination.url}/elsewhere`,
        cron: '0 4 * * *',
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('already exists');

      // Only the cron is sent; the rest must be kept from the portal's record.
      // Two minutes from now: the next tick is this one, before any other schedule's.
      const soon = new Date(Date.now() + 120_000);
      const soonCron = `${soon.getUTCMinutes()} ${soon.getUTCHours()} * * *`;
      const edited = await portal().put('/schedules/slow-report', {
        cron: soonCron,
        expectedVersion: saved.schedule.version,
      });
      expect(edited.status).toBe(200);
      const after = scheduleSaveResponseSchema.parse(edited.body);
      expect(after.unknownFields).toEqual([]);
      expect(after.schedule).toMatchObject({
        cron: soonCron,
        body: 'hello',
        headerNames: ['Authorization', 'X-Team'],
        retries: 0,
        timeoutSeconds: 1,
      });
      expect(edited.text).not.toContain(SECRET_HEADER_VALUE);
      expect(audit.at(-1)).toMatchObject({
        outcome: 'succeeded',
        meta: {
          action: 'update',
          scheduleId: 'slow-report',
          changedFields: ['cron'],
        },
      });
      expect(JSON.stringify(audit)).not.toContain(SECRET_HEADER_VALUE);

      // The next tick: body and headers arrive, and the kept 1 s timeout cuts the 2 s answer.
      await qstash.runDue(Date.parse(after.schedule.qstashNextFireTime!));
      const tick = destination.deliveries.find(d => d.path === '/slow');
      expect(tick).toMatchObject({ body: 'hello' });
      expect(tick!.headers['x-team']).toBe('data');
      expect(tick!.headers.authorization).toBe(SECRET_HEADER_VALUE);
      expect(await view('slow-report')).toMatchObject({
        lastFireState: 'FAIL',
        lastFireTime: after.schedule.qstashNextFireTime,
      });
    });

    it('previews and saves an edit of a schedule made elsewhere, saying which fields it cannot know', async () => {
      const current = await view('foreign');
      const previewed = await portal().post('/schedules/preview', {
        scheduleId: 'foreign',
        definition: { cron: '30 9 * * 1-5' },
      });
      expect(previewed.status).toBe(200);
      const preview = schedulePreviewResponseSchema.parse(previewed.body);
      expect(preview).toMatchObject({
        timezone: 'America/New_York',
        qstashCron: 'CRON_TZ=America/New_York 30 9 * * 1-5',
        description: 'At 09:30, Monday through Friday',
        unknownFields: ['timeoutSeconds'],
        currentVersion: current.version,
      });
      expect(preview.changes).toEqual([
        {
          field: 'cron',
          before: '0 9 * * 1-5',
          after: '30 9 * * 1-5',
          beforeUnknown: false,
        },
        {
          field: 'timeoutSeconds',
          before: null,
          after: null,
          beforeUnknown: true,
        },
      ]);

      const saved = await portal().put('/schedules/foreign', {
        cron: '30 9 * * 1-5',
        expectedVersion: current.version,
      });
      expect(saved.status).toBe(200);
      const body = scheduleSaveResponseSchema.parse(saved.body);
      expect(body.unknownFields).toEqual(['timeoutSeconds']);
      expect(body.schedule).toMatchObject({
        definitionSource: 'portal',
        unknownFields: [],
        timeoutSeconds: null,
      });
      // What QStash returns and the portal does not edit survived the re-post.
      const { body: stored } = await onQStash('foreign');
      expect(stored).toMatchObject({
        cron: 'CRON_TZ=America/New_York 30 9 * * 1-5',
        body: 'weekday digest',
        retries: 1,
        callback: `${destination.url}/callback`,
        labels: ['reports'],
        header: {
          Authorization: [SECRET_HEADER_VALUE],
          'Content-Type': ['text/plain'],
        },
      });
    });

    it('previews the next fire times of a New York schedule across the March change', async () => {
      const response = await portal().post('/schedules/preview', {
        definition: { cron: 'CRON_TZ=America/New_York 0 9 * * *' },
        from: '2026-03-06T00:00:00Z',
      });
      expect(response.status).toBe(200);
      const preview = schedulePreviewResponseSchema.parse(response.body);
      expect(preview.nextFireTimes).toEqual([
        { at: '2026-03-06T14:00:00.000Z', local: '2026-03-06T09:00:00-05:00' },
        { at: '2026-03-07T14:00:00.000Z', local: '2026-03-07T09:00:00-05:00' },
        { at: '2026-03-08T13:00:00.000Z', local: '2026-03-08T09:00:00-04:00' },
        { at: '2026-03-09T13:00:00.000Z', local: '2026-03-09T09:00:00-04:00' },
        { at: '2026-03-10T13:00:00.000Z', local: '2026-03-10T09:00:00-04:00' },
      ]);
      expect(preview).toMatchObject({
        cron: '0 9 * * *',
        timezone: 'America/New_York',
        description: 'At 09:00',
        currentVersion: null,
      });
    });

    it('answers 409 with both versions when the schedule changed on QStash since the editor loaded it', async () => {
      await writeOnQStash('contested', '/contested', '0 6 * * *');
      const loaded = await view('contested');
      // Someone else edits it in the Upstash console meanwhile.
      await writeOnQStash('contested', '/contested', '0 7 * * *');

      const response = await portal().put('/schedules/contested', {
        cron: '0 8 * * *',
        expectedVersion: loaded.version,
      });
      expect(response.status).toBe(409);
      const conflict = scheduleConflictResponseSchema.parse(response.body);
      expect(conflict.current.cron).toBe('0 7 * * *');
      expect(conflict.proposed.cron).toBe('0 8 * * *');
      expect(conflict.changes).toContainEqual({
        field: 'cron',
        before: '0 7 * * *',
        after: '0 8 * * *',
        beforeUnknown: false,
      });
      expect((await onQStash('contested')).body.cron).toBe('0 7 * * *');
      expect(audit.at(-1)).toMatchObject({
        eventId: 'workflow-schedule-change',
        outcome: 'failed',
        meta: { action: 'update', scheduleId: 'contested' },
      });

      // Saving against the version it now shows goes through.
      const retried = await portal().put('/schedules/contested', {
        cron: '0 8 * * *',
        expectedVersion: conflict.current.version,
      });
      expect(retried.status).toBe(200);
      expect((await onQStash('contested')).body.cron).toBe('0 8 * * *');
    });

    it('pauses, keeps the pause through an edit, resumes and deletes, auditing each', async () => {
      const paused = await portal().post('/schedules/workflows-nightly/pause');
      expect(paused.status).toBe(200);
      expect(scheduleResponseSchema.parse(paused.body).schedule).toMatchObject({
        isPaused: true,
        nextFireTimes: [],
      });
      expect((await onQStash('workflows-nightly')).body.isPaused).toBe(true);

      const edited = await portal().put('/schedules/workflows-nightly', {
        cron: '0 3 * * *',
        expectedVersion: paused.body.schedule.version,
      });
      expect(edited.status).toBe(200);
      expect((await onQStash('workflows-nightly')).body).toMatchObject({
        isPaused: true,
        cron: 'CRON_TZ=Asia/Singapore 0 3 * * *',
      });

      const resumed = await portal().post(
        '/schedules/workflows-nightly/resume',
      );
      expect(resumed.status).toBe(200);
      expect(resumed.body.schedule.isPaused).toBe(false);
      expect(resumed.body.schedule.nextFireTimes).toHaveLength(5);

      await writeOnQStash('doomed', '/doomed', '0 1 * * *');
      const deleted = await portal().delete('/schedules/doomed');
      expect(deleted.status).toBe(204);
      expect((await onQStash('doomed')).status).toBe(404);
      expect((await portal().get('/schedules/doomed')).status).toBe(404);
      expect((await portal().delete('/schedules/doomed')).status).toBe(404);

      expect(
        audit.slice(-5).map(e => [e.meta.action, e.meta.scheduleId, e.outcome]),
      ).toEqual([
        ['pause', 'workflows-nightly', 'succeeded'],
        ['update', 'workflows-nightly', 'succeeded'],
        ['resume', 'workflows-nightly', 'succeeded'],
        ['delete', 'doomed', 'succeeded'],
        ['delete', 'doomed', 'failed'],
      ]);
      expect(audit.at(-3)!.meta.workflowId).toBe('nightly');
    });

    const mutations = (
      server: http.Server,
      withAuth: boolean,
    ): Array<[string, () => request.Test]> => {
      const authed = (test: request.Test) =>
        withAuth ? test.set('Authorization', auth()) : test;
      const version = 'loaded-version';
      return [
        [
          'create',
          () =>
            authed(request(server).post('/api/workflows/schedules')).send({
              scheduleId: 'intruder',
              destination: `${destination.url}/intruder`,
              cron: '0 9 * * *',
            }),
        ],
        [
          'update',
          () =>
            authed(
              request(server).put('/api/workflows/schedules/foreign'),
            ).send({
              cron: '0 10 * * *',
              expectedVersion: version,
            }),
        ],
        [
          'pause',
          () =>
            authed(
              request(server).post(
                '/api/workflows/schedules/workflows-nightly/pause',
              ),
            ),
        ],
        [
          'resume',
          () =>
            authed(
              request(server).post('/api/workflows/schedules/foreign/resume'),
            ),
        ],
        [
          'delete',
          () =>
            authed(
              request(server).delete(
                '/api/workflows/schedules/workflows-nightly',
              ),
            ),
        ],
      ];
    };

    it('answers 401 on every route without credentials, before any audit event or QStash call', async () => {
      const before = await onQStash();
      const events = audit.length;
      for (const [name, call] of mutations(backend.server, false)) {
        expect({ name, status: (await call()).status }).toEqual({
          name,
          status: 401,
        });
      }
      for (const path of ['/schedules', '/schedules/foreign']) {
        expect(
          (await request(backend.server).get(`/api/workflows${path}`)).status,
        ).toBe(401);
      }
      expect(
        (
          await request(backend.server)
            .post('/api/workflows/schedules/preview')
            .send({ definition: { cron: '0 9 * * *' } })
        ).status,
      ).toBe(401);
      expect(audit.length).toBe(events);
      expect(await onQStash()).toEqual(before);
    });

    it('answers 403 naming the permission on every mutation, audits each refusal and changes nothing', async () => {
      const before = await onQStash();
      for (const [name, call] of mutations(denied.server, true)) {
        const events = deniedAudit.length;
        const response = await call();
        expect({ name, status: response.status }).toEqual({
          name,
          status: 403,
        });
        expect(response.body.error.message).toContain(
          'workflows.schedule.update',
        );
        expect(deniedAudit.length).toBe(events + 1);
        expect(deniedAudit.at(-1)).toMatchObject({
          eventId: 'workflow-schedule-change',
          outcome: 'failed',
          meta: { action: name },
        });
        expect(deniedAudit.at(-1)!.meta.scheduleId).toEqual(expect.any(String));
      }
      expect(
        deniedAudit.slice(-5).map(e => [e.meta.action, e.meta.scheduleId]),
      ).toEqual([
        ['create', 'intruder'],
        ['update', 'foreign'],
        ['pause', 'workflows-nightly'],
        ['resume', 'foreign'],
        ['delete', 'workflows-nightly'],
      ]);
      // A destination that is no workflow is checked too, and said so.
      expect(deniedAudit.at(-4)!.error).toContain('no known workflow');
      expect(await onQStash()).toEqual(before);

      // The workflow the caller may not read is hidden from the list and refused alone.
      const list = await portal(denied.server).get('/schedules');
      expect(list.status).toBe(200);
      expect(
        list.body.items.map((s: ScheduleView) => s.scheduleId),
      ).not.toContain('workflows-nightly');
      expect(list.body.items.map((s: ScheduleView) => s.scheduleId)).toContain(
        'foreign',
      );
      const one = await portal(denied.server).get(
        '/schedules/workflows-nightly',
      );
      expect(one.status).toBe(403);
      expect(one.body.error.message).toContain('workflows.workflow.read');
    });
  },
);
