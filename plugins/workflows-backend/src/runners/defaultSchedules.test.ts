import { mockServices } from '@backstage/backend-test-utils';
import { startQStashLocal } from '@internal/qstash-local';
import { Client } from '@upstash/qstash';
import { UpstashQStashGateway } from '../qstash/UpstashQStashGateway';
import { ensureDefaultSchedules } from './defaultSchedules';

describe('ensureDefaultSchedules', () => {
  let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
  beforeAll(async () => {
    qstash = await startQStashLocal({ port: 0 });
  });
  afterAll(() => qstash.close());

  it('creates each schedule once and keeps an operator-paused one untouched on the next start', async () => {
    const gateway = new UpstashQStashGateway({
      url: qstash.url,
      token: qstash.token,
    });
    const logger = mockServices.logger.mock();
    const schedules = [
      {
        runnerId: 'trigger',
        destination: 'http://portal.test/api/workflows/runners/trigger',
        cron: '*/60 0-10 * * 1-5',
        timezone: 'UTC',
      },
      {
        runnerId: 'report',
        destination: 'http://portal.test/api/workflows/runners/report',
        cron: '0 9 * * 1',
        timezone: 'Asia/Singapore',
      },
    ];

    await expect(
      ensureDefaultSchedules(gateway, schedules, logger),
    ).resolves.toEqual({
      created: ['workflows-trigger', 'workflows-report'],
      kept: [],
    });

    const client = new Client({ baseUrl: qstash.url, token: qstash.token });
    await client.schedules.pause({ schedule: 'workflows-trigger' });

    // A redeploy: the same call again.
    await expect(
      ensureDefaultSchedules(gateway, schedules, logger),
    ).resolves.toEqual({
      created: [],
      kept: ['workflows-trigger', 'workflows-report'],
    });

    const all = await client.schedules.list();
    expect(all.map(s => s.scheduleId).sort()).toEqual([
      'workflows-report',
      'workflows-trigger',
    ]);
    const trigger = all.find(s => s.scheduleId === 'workflows-trigger')!;
    expect(trigger.isPaused).toBe(true);
    const report = all.find(s => s.scheduleId === 'workflows-report')!;
    expect(report.cron).toBe('CRON_TZ=Asia/Singapore 0 9 * * 1');
  });
});
