import { Client } from '@upstash/qstash';
import { ApiClient, apiClient } from './__testUtils__/apiClient';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { QStashLocal, startQStashLocal } from './index';

const MINUTE = 60_000;

describe('schedules on a controllable clock', () => {
  let now: number;
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let client: Client;
  let api: ApiClient;

  beforeEach(async () => {
    now = Date.parse('2030-03-04T05:06:30Z');
    server = await startQStashLocal({ now: () => now, retryTimeScale: 0.001 });
    endpoint = await startRecordingEndpoint();
    client = new Client({ baseUrl: server.url, token: server.token });
    api = apiClient(server.url, server.token);
  });

  afterEach(async () => {
    await endpoint.close();
    await server.close();
  });

  it('fires a * * * * * schedule every minute', async () => {
    const { scheduleId } = await client.schedules.create({
      destination: `${endpoint.url}/tick`,
      cron: '* * * * *',
      body: JSON.stringify({ report: 'daily' }),
      headers: { 'content-type': 'application/json', 'x-team': 'data' },
    });
    const created = await client.schedules.get(scheduleId);
    expect(created.nextScheduleTime).toBe(Date.parse('2030-03-04T05:07:00Z'));
    expect(created.createdAt).toBe(now);

    await server.runDue();
    expect(endpoint.to('/tick')).toHaveLength(0);

    now = Date.parse('2030-03-04T05:07:00Z');
    await server.runDue();
    const [tick] = endpoint.to('/tick');
    expect(tick).toBeDefined();
    expect(tick.headers['upstash-schedule-id']).toBe(scheduleId);
    expect(tick.headers['x-team']).toBe('data');
    expect(JSON.parse(tick.text)).toEqual({ report: 'daily' });

    const after = await client.schedules.get(scheduleId);
    expect(after.lastScheduleTime).toBe(now);
    expect(after.nextScheduleTime).toBe(now + MINUTE);
    expect(Object.entries(after.lastScheduleStates ?? {})).toEqual([
      [String(tick.headers['upstash-message-id']), 'SUCCESS'],
    ]);

    // Three minutes later every missed minute has fired once.
    now += 3 * MINUTE;
    await server.runDue();
    expect(endpoint.to('/tick')).toHaveLength(4);
  });

  it('reads CRON_TZ as the time zone of the fields', async () => {
    const { scheduleId } = await client.schedules.create({
      destination: `${endpoint.url}/morning`,
      cron: 'CRON_TZ=Asia/Singapore 0 9 * * *',
    });
    const schedule = await client.schedules.get(scheduleId);
    expect(schedule.cron).toBe('CRON_TZ=Asia/Singapore 0 9 * * *');
    // 09:00 in Singapore (UTC+8) is 01:00 UTC; 05:06 UTC is past it today.
    expect(schedule.nextScheduleTime).toBe(Date.parse('2030-03-05T01:00:00Z'));

    now = Date.parse('2030-03-05T01:00:00Z');
    await server.runDue();
    expect(endpoint.to('/morning')).toHaveLength(1);
  });

  it('does not fire while paused and continues from now after resume', async () => {
    const { scheduleId } = await client.schedules.create({
      destination: `${endpoint.url}/paused`,
      cron: '*/5 * * * *',
    });
    await client.schedules.pause({ schedule: scheduleId });
    expect((await client.schedules.get(scheduleId)).isPaused).toBe(true);

    now += 30 * MINUTE;
    await server.runDue();
    expect(endpoint.to('/paused')).toHaveLength(0);

    // The API reference pauses and resumes with POST; the SDK uses PATCH.
    expect((await api.post(`/v2/schedules/${scheduleId}/resume`)).status).toBe(
      200,
    );
    const resumed = await client.schedules.get(scheduleId);
    expect(resumed.isPaused).toBe(false);
    expect(resumed.nextScheduleTime).toBe(Date.parse('2030-03-04T05:40:00Z'));

    now = resumed.nextScheduleTime!;
    await server.runDue();
    expect(endpoint.to('/paused')).toHaveLength(1);
  });

  it('replaces a schedule posted again with the same id and keeps its pause state', async () => {
    await client.schedules.create({
      destination: `${endpoint.url}/v1`,
      cron: '0 * * * *',
      scheduleId: 'nightly-report',
      retries: 1,
    });
    await client.schedules.pause({ schedule: 'nightly-report' });
    now += MINUTE;
    await client.schedules.create({
      destination: `${endpoint.url}/v2`,
      cron: '30 2 * * *',
      scheduleId: 'nightly-report',
      retries: 2,
      label: 'reports',
    });
    const schedule = await client.schedules.get('nightly-report');
    expect(schedule).toMatchObject({
      scheduleId: 'nightly-report',
      destination: `${endpoint.url}/v2`,
      cron: '30 2 * * *',
      retries: 2,
      isPaused: true,
      labels: ['reports'],
      createdAt: now - MINUTE,
    });
    expect(await client.schedules.list()).toHaveLength(1);

    await client.schedules.delete('nightly-report');
    // The SDK logs the expected 404 on the console.
    jest.spyOn(console, 'error').mockImplementationOnce(() => {});
    await expect(client.schedules.get('nightly-report')).rejects.toMatchObject({
      status: 404,
    });
  });
});
