import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  listWorkflowsResponseSchema,
  workflowRegistrationResponseSchema,
} from '@internal/plugin-workflows-common';
import {
  createRunnerModule,
  createTestDatabases,
} from '@internal/plugin-workflows-node/testUtils';
import request from 'supertest';
import { workflowsPlugin } from '../plugin';
import {
  denyingPermissions,
  RecordedAuditEvent,
  recordingAuditor,
} from '../__testUtils__/recordingServices';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const hostedRunner = createRunnerModule({
  id: 'hosted',
  title: 'Hosted workflow',
  description: 'Runs in this backend',
  owner: 'group:default/test',
  async run(context) {
    await context.run('step', async () => 'done');
  },
});

const registration = {
  title: 'Invoice reminders',
  description: 'Reminds customers of open invoices',
  owner: 'group:default/billing',
  url: 'https://billing.example.com/api/workflows/invoice-reminders',
  schedule: { cron: '0 9 * * 1-5', timezone: 'Asia/Singapore' },
  requiredEnv: ['QSTASH_TOKEN', 'BILLING_API_KEY'],
};

describe.each(databases.eachSupportedId())(
  'workflow registration API on %p',
  databaseId => {
    let knex: Awaited<ReturnType<typeof databases.init>>;
    const audit: RecordedAuditEvent[] = [];

    const features = (extra: any[] = [], tracked: object[] = []) => [
      workflowsPlugin,
      hostedRunner,
      mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          workflows: {
            runnerBaseUrl: 'http://portal.test/api/workflows',
            tracked,
          },
        },
      }),
      ...extra,
    ];

    const put = (server: any, id: string, body: object, authed = true) => {
      const req = request(server).put(
        `/api/workflows/workflows/${id}/registration`,
      );
      if (authed) req.set('Authorization', mockCredentials.user.header());
      return req.send(body);
    };
    const list = async (server: any) => {
      const response = await request(server)
        .get('/api/workflows/workflows')
        .set('Authorization', mockCredentials.user.header());
      expect(response.status).toBe(200);
      return listWorkflowsResponseSchema.parse(response.body).items;
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });
    beforeEach(() => {
      audit.length = 0;
    });

    it('registers a workflow once, idempotently, and lists it as registered', async () => {
      const { server } = await startTestBackend({
        features: features([recordingAuditor(audit)]),
      });

      const first = await put(server, 'invoice-reminders', registration);
      expect(first.status).toBe(200);
      const body = workflowRegistrationResponseSchema.parse(first.body);
      expect(body.changed).toBe(true);
      expect(body.workflow).toMatchObject({
        id: 'invoice-reminders',
        source: 'registered',
        endpoint: registration.url,
        schedule: registration.schedule,
        requiredEnv: registration.requiredEnv,
      });

      const second = await put(server, 'invoice-reminders', registration);
      expect(second.status).toBe(200);
      expect(second.body.changed).toBe(false);

      const items = await list(server);
      expect(items.filter(w => w.id === 'invoice-reminders')).toHaveLength(1);

      const renamed = await put(server, 'invoice-reminders', {
        ...registration,
        title: 'Invoice reminders (weekdays)',
      });
      expect(renamed.body.changed).toBe(true);
      expect(
        (await list(server)).find(w => w.id === 'invoice-reminders')?.title,
      ).toBe('Invoice reminders (weekdays)');

      expect(audit).toEqual([
        expect.objectContaining({
          eventId: 'workflow-registration',
          outcome: 'succeeded',
          meta: expect.objectContaining({
            action: 'register',
            workflowId: 'invoice-reminders',
            changed: true,
          }),
        }),
        expect.objectContaining({
          outcome: 'succeeded',
          meta: expect.objectContaining({ changed: false }),
        }),
        expect.objectContaining({
          outcome: 'succeeded',
          meta: expect.objectContaining({ changed: true }),
        }),
      ]);
      // The audit never carries the body (URL, owner...).
      expect(JSON.stringify(audit)).not.toContain('billing.example.com');
    });

    it('keeps registrations across a restart, unless a config workflow takes the id', async () => {
      const { server } = await startTestBackend({ features: features() });
      expect(
        (await put(server, 'kept', { ...registration, title: 'Kept' })).status,
      ).toBe(200);
      expect(
        (await put(server, 'taken', { ...registration, title: 'Taken' }))
          .status,
      ).toBe(200);

      const restarted = await startTestBackend({
        features: features(
          [],
          [
            {
              id: 'taken',
              title: 'From config',
              owner: 'group:default/test',
              url: 'https://config.example.com/taken',
            },
          ],
        ),
      });
      const items = await list(restarted.server);
      expect(items.find(w => w.id === 'kept')).toMatchObject({
        source: 'registered',
        title: 'Kept',
      });
      expect(items.find(w => w.id === 'taken')).toMatchObject({
        source: 'config',
        title: 'From config',
      });
      expect(items.find(w => w.id === 'hosted')?.source).toBe('runner');

      // Now a config workflow: registering over it or removing it is refused.
      const over = await put(restarted.server, 'taken', registration);
      expect(over.status).toBe(409);
      const removeConfig = await request(restarted.server)
        .delete('/api/workflows/workflows/taken/registration')
        .set('Authorization', mockCredentials.user.header());
      expect(removeConfig.status).toBe(409);
      expect((await put(restarted.server, 'hosted', registration)).status).toBe(
        409,
      );
    });

    it('removes a registration with DELETE', async () => {
      const { server } = await startTestBackend({
        features: features([recordingAuditor(audit)]),
      });
      expect((await put(server, 'short-lived', registration)).status).toBe(200);
      const removed = await request(server)
        .delete('/api/workflows/workflows/short-lived/registration')
        .set('Authorization', mockCredentials.user.header());
      expect(removed.status).toBe(204);
      expect((await list(server)).some(w => w.id === 'short-lived')).toBe(
        false,
      );
      expect(audit.at(-1)).toMatchObject({
        outcome: 'succeeded',
        meta: {
          action: 'unregister',
          workflowId: 'short-lived',
          removed: true,
        },
      });
    });

    it.each([
      ['an invalid id', 'bad id!', registration, /id: may only contain/],
      [
        'a non-http URL',
        'ok-id',
        { ...registration, url: 'ftp://example.com/x' },
        /url: must be an http\(s\) URL/,
      ],
      [
        'a bad cron',
        'ok-id',
        { ...registration, schedule: { cron: '0 9 * *', timezone: 'UTC' } },
        /schedule\.cron: "0 9 \* \*" has 4 fields/,
      ],
      [
        'an unknown zone',
        'ok-id',
        {
          ...registration,
          schedule: { cron: '0 9 * * *', timezone: 'Mars/Olympus' },
        },
        /schedule\.timezone: unknown time zone "Mars\/Olympus"/,
      ],
      [
        'an unknown field',
        'ok-id',
        { ...registration, token: 'x' },
        /Unrecognized key/,
      ],
    ])('answers 400 for %s', async (_name, id, body, message) => {
      const { server } = await startTestBackend({
        features: features([recordingAuditor(audit)]),
      });
      const response = await put(server, encodeURIComponent(id), body);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
      expect((await list(server)).some(w => w.id === id)).toBe(false);
    });

    it('answers 401 without credentials', async () => {
      const { server } = await startTestBackend({ features: features() });
      const response = await put(server, 'anon', registration, false);
      expect(response.status).toBe(401);
      expect((await list(server)).some(w => w.id === 'anon')).toBe(false);
    });

    it('answers 403 without workflows.workflow.register, and audits the refusal', async () => {
      const { server } = await startTestBackend({
        features: features([
          recordingAuditor(audit),
          denyingPermissions([{ permission: 'workflows.workflow.register' }]),
        ]),
      });
      const response = await put(server, 'denied', registration);
      expect(response.status).toBe(403);
      expect(response.body.error.message).toContain(
        'workflows.workflow.register',
      );
      const removal = await request(server)
        .delete('/api/workflows/workflows/denied/registration')
        .set('Authorization', mockCredentials.user.header());
      expect(removal.status).toBe(403);
      expect((await list(server)).some(w => w.id === 'denied')).toBe(false);
      expect(audit).toEqual([
        expect.objectContaining({
          eventId: 'workflow-registration',
          outcome: 'failed',
          meta: expect.objectContaining({
            action: 'register',
            workflowId: 'denied',
          }),
        }),
        expect.objectContaining({
          outcome: 'failed',
          meta: expect.objectContaining({ action: 'unregister' }),
        }),
      ]);
    });
  },
);
