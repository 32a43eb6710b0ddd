import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import type { ScheduleConflictResponse } from '@internal/plugin-workflows-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { API_URL, BACKEND_URL } from '../__testUtils__/renderWorkflows';
import { aPreview, aSchedule } from '../__testUtils__/scheduleFixtures';
import { ScheduleConflictError } from './ScheduleConflictError';
import { UnexpectedResponseError, WorkflowsClient } from './WorkflowsClient';

const server = setupServer();
registerMswTestHooks(server);

const client = new WorkflowsClient({
  discoveryApi: mockApis.discovery({ baseUrl: BACKEND_URL }),
  fetchApi: new MockFetchApi(),
});

type Seen = { method: string; path: string; body?: unknown };

/** Answers `method path` with `answer`, recording what was sent. */
function serve(
  method: 'get' | 'post' | 'put' | 'delete',
  path: string,
  answer: () => Response,
): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http[method](`${API_URL}${path}`, async ({ request }) => {
      const text = await request.text();
      const url = new URL(request.url);
      seen.push({
        method: request.method,
        path: url.pathname.replace('/api/workflows', ''),
        ...(text ? { body: JSON.parse(text) } : {}),
      });
      return answer();
    }),
  );
  return seen;
}

const errorBody = (status: number, name: string, message: string) =>
  HttpResponse.json(
    {
      error: { name, message },
      request: { method: 'PUT', url: '/api/workflows/schedules/x' },
      response: { statusCode: status },
    },
    { status },
  );

describe('WorkflowsClient schedules', () => {
  it('lists the schedules, checked against the common schema', async () => {
    const body = { items: [aSchedule()], totalCount: 1 };
    serve('get', '/schedules', () => HttpResponse.json(body));
    await expect(client.listSchedules()).resolves.toEqual(body);
  });

  it('refuses a schedule without the version a save needs', async () => {
    const { version: _, ...withoutVersion } = aSchedule();
    serve('get', '/schedules', () =>
      HttpResponse.json({ items: [withoutVersion], totalCount: 1 }),
    );
    const result = client.listSchedules();
    await expect(result).rejects.toBeInstanceOf(UnexpectedResponseError);
    await expect(result).rejects.toThrow(/GET \/schedules: items\.0\.version/);
  });

  it('reads one schedule by its encoded id', async () => {
    const seen = serve('get', '/schedules/:scheduleId', () =>
      HttpResponse.json({ schedule: aSchedule({ scheduleId: 'a/b' }) }),
    );
    await expect(client.getSchedule('a/b')).resolves.toMatchObject({
      scheduleId: 'a/b',
    });
    expect(seen[0].path).toBe('/schedules/a%2Fb');
  });

  it('posts a preview and returns its fire times and changes', async () => {
    const preview = aPreview({
      changes: [
        { field: 'retries', before: '3', after: '5', beforeUnknown: false },
      ],
    });
    const seen = serve('post', '/schedules/preview', () =>
      HttpResponse.json(preview),
    );
    const request = {
      scheduleId: 'cars-weekdays',
      definition: { retries: 5 },
    };
    await expect(client.previewSchedule(request)).resolves.toEqual(preview);
    expect(seen).toEqual([
      { method: 'POST', path: '/schedules/preview', body: request },
    ]);
  });

  it("passes a preview's 400 on as a ResponseError naming the field", async () => {
    serve('post', '/schedules/preview', () =>
      errorBody(400, 'InputError', 'Invalid body: definition.cron: bad'),
    );
    const result = client.previewSchedule({ definition: { cron: '* *' } });
    await expect(result).rejects.toBeInstanceOf(ResponseError);
    await expect(result).rejects.toMatchObject({
      statusCode: 400,
      cause: { message: 'Invalid body: definition.cron: bad' },
    });
  });

  it('creates a schedule and returns it with the fields reset to defaults', async () => {
    const seen = serve('post', '/schedules', () =>
      HttpResponse.json(
        { schedule: aSchedule(), unknownFields: [] },
        { status: 201 },
      ),
    );
    const request = {
      destination: 'https://hooks.example.com/x',
      cron: '0 9 * * *',
    };
    await expect(client.createSchedule(request)).resolves.toEqual({
      schedule: aSchedule(),
      unknownFields: [],
    });
    expect(seen[0]).toEqual({
      method: 'POST',
      path: '/schedules',
      body: request,
    });
  });

  it('updates with PUT, sending the expected version', async () => {
    const seen = serve('put', '/schedules/:scheduleId', () =>
      HttpResponse.json({
        schedule: aSchedule({ retries: 5, version: 'v2' }),
        unknownFields: ['timeoutSeconds'],
      }),
    );
    await expect(
      client.updateSchedule('cars-weekdays', {
        retries: 5,
        expectedVersion: 'v1',
      }),
    ).resolves.toMatchObject({ unknownFields: ['timeoutSeconds'] });
    expect(seen).toEqual([
      {
        method: 'PUT',
        path: '/schedules/cars-weekdays',
        body: { retries: 5, expectedVersion: 'v1' },
      },
    ]);
  });

  it('turns a 409 with both versions into a ScheduleConflictError', async () => {
    const current = aSchedule({ cron: '0 10 * * 1-5', version: 'v2' });
    const conflict: ScheduleConflictResponse = {
      error: { name: 'ConflictError', message: 'changed since v1' },
      request: { method: 'PUT', url: '/api/workflows/schedules/cars-weekdays' },
      response: { statusCode: 409 },
      current,
      proposed: {
        destination: current.destination,
        method: 'POST',
        cron: '0 10 * * 1-5',
        timezone: 'Asia/Singapore',
        body: null,
        headerNames: ['Content-Type'],
        retries: 5,
        timeoutSeconds: 300,
        callback: null,
        failureCallback: null,
      },
      changes: [
        { field: 'retries', before: '3', after: '5', beforeUnknown: false },
      ],
    };
    serve('put', '/schedules/:scheduleId', () =>
      HttpResponse.json(conflict, { status: 409 }),
    );
    const error = await client
      .updateSchedule('cars-weekdays', { retries: 5, expectedVersion: 'v1' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ScheduleConflictError);
    expect(error.message).toBe('changed since v1');
    expect(error.current).toEqual(current);
    expect(error.proposed).toEqual(conflict.proposed);
    expect(error.changes).toEqual(conflict.changes);
  });

  it('leaves a 409 without versions (no QStash configured) a ResponseError', async () => {
    serve('put', '/schedules/:scheduleId', () =>
      errorBody(409, 'ConflictError', 'Cannot update schedule x: no QStash'),
    );
    const result = client.updateSchedule('x', { expectedVersion: 'v1' });
    await expect(result).rejects.toBeInstanceOf(ResponseError);
    await expect(result).rejects.not.toBeInstanceOf(ScheduleConflictError);
  });

  it('refuses a conflict body whose current version is malformed', async () => {
    serve('put', '/schedules/:scheduleId', () =>
      HttpResponse.json(
        {
          error: { name: 'ConflictError', message: 'changed' },
          request: { method: 'PUT', url: '/x' },
          response: { statusCode: 409 },
          current: { scheduleId: 'x' },
          proposed: {},
          changes: [],
        },
        { status: 409 },
      ),
    );
    await expect(
      client.updateSchedule('x', { expectedVersion: 'v1' }),
    ).rejects.toThrow(/Unexpected response from PUT \/schedules\/x: current\./);
  });

  it('deletes with a 204 and no body', async () => {
    const seen = serve(
      'delete',
      '/schedules/:scheduleId',
      () => new HttpResponse(null, { status: 204 }),
    );
    await expect(client.deleteSchedule('cars-weekdays')).resolves.toBe(
      undefined,
    );
    expect(seen).toEqual([
      { method: 'DELETE', path: '/schedules/cars-weekdays' },
    ]);
  });

  it('pauses and resumes, returning the schedule as it is then', async () => {
    const paused = serve('post', '/schedules/:scheduleId/pause', () =>
      HttpResponse.json({ schedule: aSchedule({ isPaused: true }) }),
    );
    const resumed = serve('post', '/schedules/:scheduleId/resume', () =>
      HttpResponse.json({ schedule: aSchedule({ isPaused: false }) }),
    );
    await expect(client.pauseSchedule('cars-weekdays')).resolves.toMatchObject({
      isPaused: true,
    });
    await expect(client.resumeSchedule('cars-weekdays')).resolves.toMatchObject(
      { isPaused: false },
    );
    expect(paused.map(s => s.path)).toEqual(['/schedules/cars-weekdays/pause']);
    expect(resumed.map(s => s.path)).toEqual([
      '/schedules/cars-weekdays/resume',
    ]);
  });
});
