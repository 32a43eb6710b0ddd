import {
  AuditorService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The module only runs inside its plugin, so the test starts both.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import workflowsPlugin from '@internal/plugin-workflows-backend';
import {
  listSocialPostsResponseSchema,
  socialPostResponseSchema,
  workflowRunTriggerPermission,
} from '@internal/plugin-workflows-common';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import type { Knex } from 'knex';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { workflowsModuleSgcarstrends } from '../module';
import { SOCIAL_POSTS_TABLE } from '../social';
import { SOCIAL_POSTS_PATH } from './socialPostsRouter';

const WEBHOOK_TOKEN = 'operator-api-webhook-s3cret';
const WEBHOOK_URL = `https://discord.com/api/webhooks/77/${WEBHOOK_TOKEN}`;
const OPERATOR = 'user:default/operator';
const VIEWER = 'user:default/viewer';
const TEXT = 'Updated car registration data for 2024-05\n\nhttps://e.com/cars';

const API = `/api/workflows${SOCIAL_POSTS_PATH}`;
const operator = mockCredentials.user.header(OPERATOR);
const viewer = mockCredentials.user.header(VIEWER);

interface AuditRecord {
  eventId: string;
  severityLevel?: string;
  status: 'initiated' | 'succeeded' | 'failed';
  meta: Record<string, unknown>;
  error?: string;
}

/** An auditor that keeps every event, for the test to read. */
function recordingAuditor(events: AuditRecord[]) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: (): AuditorService => ({
      async createEvent(options) {
        const base = {
          eventId: options.eventId,
          severityLevel: options.severityLevel,
        };
        events.push({
          ...base,
          status: 'initiated',
          meta: { ...options.meta },
        });
        return {
          async success(params) {
            events.push({
              ...base,
              status: 'succeeded',
              meta: { ...options.meta, ...params?.meta },
            });
          },
          async fail(params) {
            events.push({
              ...base,
              status: 'failed',
              meta: { ...options.meta, ...params.meta },
              error: params.error.message,
            });
          },
        };
      },
    }),
  });
}

/**
 * The policy of these tests: everyone may read the cars workflow, only the
 * operator may read COE; only the operator may trigger.
 */
function decide(
  permissionName: string,
  resourceRef: string | undefined,
  credentials: BackstageCredentials,
): AuthorizeResult.ALLOW | AuthorizeResult.DENY {
  const user = (credentials.principal as { userEntityRef?: string })
    .userEntityRef;
  if (user === OPERATOR) return AuthorizeResult.ALLOW;
  return permissionName === 'workflows.workflow.read' && resourceRef === 'cars'
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;
}

const permissionsWithPolicy = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    async authorize(requests, options) {
      return requests.map(r => ({
        result: decide(
          r.permission.name,
          'resourceRef' in r ? r.resourceRef : undefined,
          options!.credentials,
        ),
      }));
    },
    async authorizeConditional(requests) {
      return requests.map(() => ({ result: AuthorizeResult.DENY }));
    },
  }),
});

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'social posts operator API on %p',
  databaseId => {
    const discord = setupServer();
    const auditEvents: AuditRecord[] = [];
    const savedEnv = { ...process.env };
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;

    beforeAll(async () => {
      discord.listen({ onUnhandledRequest: 'bypass' });
      process.env.DISCORD_WEBHOOK_URL = WEBHOOK_URL;
      knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          workflowsPlugin,
          workflowsModuleSgcarstrends,
          mockServices.database.factory({ knex }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          permissionsWithPolicy,
          recordingAuditor(auditEvents),
          mockServices.rootConfig.factory({
            data: {
              workflows: {
                sgcarstrends: {
                  social: { dryRun: false, platforms: ['discord', 'twitter'] },
                },
              },
            },
          }),
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
      discord.close();
      process.env = savedEnv;
    });

    beforeEach(async () => {
      await knex(SOCIAL_POSTS_TABLE).delete();
      auditEvents.length = 0;
      discord.resetHandlers();
    });

    async function insertPost(row: {
      platform?: string;
      dataset?: string;
      period?: string;
      status: string;
      updatedAt?: Date;
    }) {
      const at = row.updatedAt ?? new Date();
      await knex(SOCIAL_POSTS_TABLE).insert({
        platform: row.platform ?? 'discord',
        dataset: row.dataset ?? 'cars',
        period: row.period ?? '2024-05',
        status: row.status,
        attempt_id: `attempt-${Math.random()}`,
        message_text: TEXT,
        dry_run: false,
        outcome_reason: row.status === 'uncertain' ? 'no reply in time' : null,
        created_at: at,
        updated_at: at,
      });
    }

    /** Counts Discord posts; each answers after `waitMs` with `status`. */
    function discordAnswers(status: number, waitMs = 0) {
      const posted: string[] = [];
      discord.use(
        http.post(WEBHOOK_URL, async ({ request: req }) => {
          posted.push(((await req.json()) as { content: string }).content);
          await delay(waitMs);
          return status === 200
            ? HttpResponse.json({ id: `message-${posted.length}` })
            : HttpResponse.json({ message: 'boom', url: req.url }, { status });
        }),
      );
      return posted;
    }

    const finished = () => auditEvents.filter(e => e.status !== 'initiated');

    it('lists the uncertain posts of the workflows the caller may read; a stalled claim counts', async () => {
      await insertPost({ status: 'uncertain' });
      await insertPost({ platform: 'twitter', status: 'posted' });
      await insertPost({
        dataset: 'coe',
        period: '2024-05#2',
        status: 'uncertain',
      });
      await insertPost({
        platform: 'twitter',
        period: '2024-04',
        status: 'pending',
        updatedAt: new Date(Date.now() - 10 * 60_000),
      });

      const asOperator = await request(backend.server)
        .get(`${API}?status=uncertain`)
        .set('Authorization', operator);
      expect(asOperator.status).toBe(200);
      const body = listSocialPostsResponseSchema.parse(asOperator.body);
      expect(
        body.items.map(p => `${p.platform} ${p.dataset} ${p.period}`).sort(),
      ).toEqual([
        'discord cars 2024-05',
        'discord coe 2024-05#2',
        'twitter cars 2024-04',
      ]);
      expect(body.items.find(p => p.platform === 'twitter')?.reason).toMatch(
        /stopped before recording whether the platform took the post/,
      );

      const asViewer = await request(backend.server)
        .get(`${API}?status=uncertain`)
        .set('Authorization', viewer);
      expect(
        listSocialPostsResponseSchema
          .parse(asViewer.body)
          .items.map(p => p.dataset),
      ).toEqual(['cars', 'cars']);

      const coeAsViewer = await request(backend.server)
        .get(`${API}?dataset=coe`)
        .set('Authorization', viewer);
      expect(coeAsViewer.status).toBe(403);
      expect(coeAsViewer.body.error.message).toBe(
        'Missing permission workflows.workflow.read for workflow "coe"',
      );

      expect(finished()).toEqual([
        expect.objectContaining({
          eventId: 'social-post-fetch',
          status: 'succeeded',
          meta: expect.objectContaining({ count: 3 }),
        }),
        expect.objectContaining({
          eventId: 'social-post-fetch',
          status: 'succeeded',
          meta: expect.objectContaining({ count: 2 }),
        }),
        expect.objectContaining({
          eventId: 'social-post-fetch',
          status: 'failed',
          error:
            'Missing permission workflows.workflow.read for workflow "coe"',
        }),
      ]);
    });

    it('post again posts the recorded text once, also when asked twice at the same time', async () => {
      await insertPost({ status: 'uncertain' });
      const posted = discordAnswers(200, 300);
      const path = `${API}/discord/cars/2024-05/post-again`;

      const [first, second] = await Promise.all([
        request(backend.server).post(path).set('Authorization', operator),
        request(backend.server).post(path).set('Authorization', operator),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      expect(posted).toEqual([TEXT]);

      const ok = first.status === 200 ? first : second;
      expect(socialPostResponseSchema.parse(ok.body).post).toMatchObject({
        status: 'posted',
        postId: 'message-1',
        resolution: 'posted-again',
        resolvedBy: OPERATOR,
      });
      const row = await knex(SOCIAL_POSTS_TABLE).first();
      expect(row).toMatchObject({
        status: 'posted',
        post_id: 'message-1',
        resolved_by: OPERATOR,
      });

      // Once posted, it is no longer uncertain.
      const again = await request(backend.server)
        .post(path)
        .set('Authorization', operator);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(
        /^The Discord post of cars 2024-05 is posted, not uncertain/,
      );
      expect(posted).toHaveLength(1);

      const resolveEvents = finished().filter(
        e => e.eventId === 'social-post-resolve',
      );
      expect(resolveEvents.map(e => e.status).sort()).toEqual([
        'failed',
        'failed',
        'succeeded',
      ]);
      for (const event of resolveEvents) {
        expect(event).toMatchObject({
          severityLevel: 'medium',
          meta: expect.objectContaining({
            actionType: 'post-again',
            platform: 'discord',
            dataset: 'cars',
            period: '2024-05',
          }),
        });
      }
    });

    it('post again that the platform refuses sends nothing and leaves the post uncertain, without secrets', async () => {
      await insertPost({ status: 'uncertain' });
      discordAnswers(500);
      const path = `${API}/discord/cars/2024-05/post-again`;

      const refused = await request(backend.server)
        .post(path)
        .set('Authorization', operator);
      expect(refused.status).toBe(502);
      expect(refused.body.error.message).toMatch(
        /^Discord did not take the post; nothing was sent and it stays uncertain: Discord refused to post the message: HTTP 500/,
      );
      const row = await knex(SOCIAL_POSTS_TABLE).first();
      expect(row.status).toBe('uncertain');
      expect(row.outcome_reason).toMatch(
        /^Posting again at .* failed and sent nothing: Discord refused/,
      );
      for (const text of [
        JSON.stringify(refused.body),
        JSON.stringify(row),
        JSON.stringify(auditEvents),
      ]) {
        expect(text).not.toContain(WEBHOOK_TOKEN);
      }

      discord.resetHandlers();
      const posted = discordAnswers(200);
      const retried = await request(backend.server)
        .post(path)
        .set('Authorization', operator);
      expect(retried.status).toBe(200);
      expect(posted).toHaveLength(1);
    });

    it('mark as posted records the link and who did it, and posts nothing', async () => {
      await insertPost({
        dataset: 'coe',
        period: '2024-05#2',
        status: 'uncertain',
      });
      const posted = discordAnswers(200);

      const response = await request(backend.server)
        .post(`${API}/discord/coe/2024-05%232/mark-posted`)
        .set('Authorization', operator)
        .send({ postUrl: 'https://discord.com/channels/1/2/3' });
      expect(response.status).toBe(200);
      expect(socialPostResponseSchema.parse(response.body).post).toMatchObject({
        period: '2024-05#2',
        status: 'posted',
        postUrl: 'https://discord.com/channels/1/2/3',
        resolution: 'marked-posted',
        resolvedBy: OPERATOR,
      });
      expect(posted).toEqual([]);
      expect(finished()).toEqual([
        expect.objectContaining({
          eventId: 'social-post-resolve',
          status: 'succeeded',
          meta: expect.objectContaining({
            actionType: 'mark-posted',
            platform: 'discord',
            dataset: 'coe',
            period: '2024-05#2',
            status: 'posted',
          }),
        }),
      ]);
    });

    it('answers 401 without credentials and 403, naming the permission, to a caller the policy denies', async () => {
      await insertPost({ status: 'uncertain' });
      const posted = discordAnswers(200);
      const path = `${API}/discord/cars/2024-05/mark-posted`;

      expect((await request(backend.server).post(path)).status).toBe(401);
      expect((await request(backend.server).get(API)).status).toBe(401);

      const denied = await request(backend.server)
        .post(`${API}/discord/cars/2024-05/post-again`)
        .set('Authorization', viewer);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        `Missing permission ${workflowRunTriggerPermission.name} for workflow "cars"`,
      );
      expect(posted).toEqual([]);
      expect((await knex(SOCIAL_POSTS_TABLE).first()).status).toBe('uncertain');
      expect(finished()).toEqual([
        expect.objectContaining({
          eventId: 'social-post-resolve',
          status: 'failed',
          meta: expect.objectContaining({
            actionType: 'post-again',
            platform: 'discord',
            dataset: 'cars',
            period: '2024-05',
          }),
          error: 'Missing permission workflows.run.trigger for workflow "cars"',
        }),
      ]);
    });

    it.each([
      [
        'an unknown platform',
        () =>
          request(backend.server).post(
            `${API}/myspace/cars/2024-05/post-again`,
          ),
        /^Invalid path: platform: Invalid enum value/,
      ],
      [
        'a COE period without the exercise',
        () =>
          request(backend.server).post(`${API}/discord/coe/2024-05/post-again`),
        /^Invalid path: period: Invalid coe period "2024-05"/,
      ],
      [
        'a post URL that is not a URL',
        () =>
          request(backend.server)
            .post(`${API}/discord/cars/2024-05/mark-posted`)
            .send({ postUrl: 'in the channel' }),
        /^Invalid body: postUrl: Invalid url/,
      ],
      [
        'an unknown body field',
        () =>
          request(backend.server)
            .post(`${API}/discord/cars/2024-05/mark-posted`)
            .send({ postedBy: 'me' }),
        /^Invalid body: Unrecognized key\(s\) in object: 'postedBy'/,
      ],
      [
        'a body that is not JSON',
        () =>
          request(backend.server)
            .post(`${API}/discord/cars/2024-05/mark-posted`)
            .set('Content-Type', 'application/json')
            .send('{"postUrl":'),
        /^Invalid body: /,
      ],
      [
        'an unknown status filter',
        () => request(backend.server).get(`${API}?status=lost`),
        /^Invalid query: status: Invalid enum value/,
      ],
    ])('answers 400 naming the field for %s', async (_case, send, message) => {
      const response = await send().set('Authorization', operator);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
      expect(finished()).toEqual([
        expect.objectContaining({
          status: 'failed',
          error: expect.stringMatching(message),
        }),
      ]);
    });

    it('answers 404 for an unknown post and 409 for one that is not uncertain', async () => {
      await insertPost({ status: 'posted' });

      const unknown = await request(backend.server)
        .post(`${API}/discord/cars/2023-01/mark-posted`)
        .set('Authorization', operator);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe(
        'No Discord post of cars 2023-01',
      );

      const posted = await request(backend.server)
        .post(`${API}/discord/cars/2024-05/mark-posted`)
        .set('Authorization', operator);
      expect(posted.status).toBe(409);
      expect(posted.body.error.message).toBe(
        'The Discord post of cars 2024-05 is posted, not uncertain: only an uncertain post can be marked as posted or posted again',
      );
      expect(finished().map(e => [e.eventId, e.status])).toEqual([
        ['social-post-resolve', 'failed'],
        ['social-post-resolve', 'failed'],
      ]);
    });

    it('answers 409 when the platform cannot be posted to: not enabled, or without its credentials', async () => {
      await insertPost({ platform: 'telegram', status: 'uncertain' });
      await insertPost({ status: 'uncertain' });

      const disabled = await request(backend.server)
        .post(`${API}/telegram/cars/2024-05/post-again`)
        .set('Authorization', operator);
      expect(disabled.status).toBe(409);
      expect(disabled.body.error.message).toBe(
        'telegram is not one of the platforms posted to (workflows.sgcarstrends.social.platforms)',
      );

      delete process.env.DISCORD_WEBHOOK_URL;
      try {
        const unconfigured = await request(backend.server)
          .post(`${API}/discord/cars/2024-05/post-again`)
          .set('Authorization', operator);
        expect(unconfigured.status).toBe(409);
        expect(unconfigured.body.error.message).toBe(
          'Discord is not configured: missing DISCORD_WEBHOOK_URL',
        );
      } finally {
        process.env.DISCORD_WEBHOOK_URL = WEBHOOK_URL;
      }
      const rows = await knex(SOCIAL_POSTS_TABLE).select('status');
      expect(rows).toEqual([{ status: 'uncertain' }, { status: 'uncertain' }]);
    });
  },
);
