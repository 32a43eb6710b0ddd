import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { KnexScheduleDefinitionStore } from '../database/ScheduleDefinitionStore';
import { resolveCurrent } from '../schedules/scheduleDefinition';
import { QStashSchedule } from './QStashGateway';
import { ScheduleWriter } from './ScheduleWriter';
import { UpstashQStashGateway } from './UpstashQStashGateway';

const QSTASH = 'https://qstash.test';
const databases = createTestDatabases();

/**
 * QStash cloud as far as this test needs it, in the one way that matters
 * here: a re-posted schedule comes back active even if it was paused.
 */
function qstashCloud() {
  const upserts: Headers[] = [];
  let schedule: QStashSchedule | undefined;
  const server = setupServer(
    http.post(`${QSTASH}/v2/schedules/*`, async ({ request }) => {
      upserts.push(request.headers);
      schedule = {
        scheduleId: request.headers.get('upstash-schedule-id')!,
        destination: new URL(request.url).pathname.replace(
          '/v2/schedules/',
          '',
        ),
        cron: request.headers.get('upstash-cron')!,
        method: request.headers.get('upstash-method') ?? 'POST',
        header: {
          'X-Team': [request.headers.get('upstash-forward-x-team') ?? ''],
        },
        body: await request.text(),
        retries: 3,
        isPaused: false,
        createdAt: 1,
      };
      return HttpResponse.json({ scheduleId: schedule.scheduleId });
    }),
    http.get(`${QSTASH}/v2/schedules/:id`, () =>
      schedule
        ? HttpResponse.json(schedule)
        : new HttpResponse(null, { status: 404 }),
    ),
    http.patch(`${QSTASH}/v2/schedules/:id/pause`, () => {
      schedule!.isPaused = true;
      return new HttpResponse(null, { status: 200 });
    }),
  );
  return { server, upserts, current: () => schedule };
}

describe('ScheduleWriter', () => {
  const cloud = qstashCloud();
  let definitions: KnexScheduleDefinitionStore;

  beforeAll(async () => {
    cloud.server.listen({ onUnhandledRequest: 'error' });
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({
      directory: MIGRATIONS_DIRECTORY,
      tableName: 'workflows_knex_migrations',
    });
    definitions = new KnexScheduleDefinitionStore(knex);
  });
  afterAll(() => cloud.server.close());

  it('sends the whole definition, pauses again a schedule the re-post resumed, and records the result', async () => {
    const writer = new ScheduleWriter(
      new UpstashQStashGateway({ url: QSTASH, token: 'test-token' }),
      definitions,
    );
    const definition = {
      destination: 'https://jobs.example/nightly',
      method: 'POST',
      cron: '0 2 * * *',
      timezone: 'Asia/Singapore',
      body: 'hello',
      headers: { 'X-Team': 'data' },
      retries: null,
      timeoutSeconds: 30,
      callback: null,
      failureCallback: null,
    };

    const written = await writer.write('nightly', definition, {
      keepPaused: true,
    });

    const sent = cloud.upserts[0];
    expect(sent.get('upstash-cron')).toBe('CRON_TZ=Asia/Singapore 0 2 * * *');
    expect(sent.get('upstash-timeout')).toBe('30s');
    expect(sent.get('upstash-forward-x-team')).toBe('data');
    expect(sent.has('upstash-retries')).toBe(false);
    expect(written.isPaused).toBe(true);
    expect(cloud.current()!.isPaused).toBe(true);

    // The record matches what QStash shows now, so the next edit trusts it.
    const current = resolveCurrent(
      cloud.current()!,
      await definitions.get('nightly'),
    );
    expect(current).toMatchObject({
      source: 'portal',
      unknown: [],
      definition: { timeoutSeconds: 30, body: 'hello' },
    });
  });
});
