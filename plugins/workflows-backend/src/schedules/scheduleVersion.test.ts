import type { QStashSchedule } from '../qstash/QStashGateway';
import { resolveCurrent } from './scheduleDefinition';
import { scheduleVersion, visibleFingerprint } from './scheduleVersion';

const schedule: QStashSchedule = {
  scheduleId: 'nightly',
  destination: 'https://jobs.example/nightly',
  cron: '0 2 * * *',
  method: 'POST',
  header: { 'X-Team': ['data'] },
  retries: 3,
  isPaused: false,
  createdAt: 1,
  lastScheduleTime: 10,
  nextScheduleTime: 20,
  lastScheduleStates: { msg_1: 'SUCCESS' },
};

const versionOf = (s: QStashSchedule) =>
  scheduleVersion(resolveCurrent(s, undefined));

describe('scheduleVersion', () => {
  it('stays the same while the schedule only ticks, pauses or is re-read', () => {
    const version = versionOf(schedule);
    expect(
      versionOf({
        ...schedule,
        lastScheduleTime: 20,
        nextScheduleTime: 30,
        lastScheduleStates: { msg_2: 'FAIL' },
        isPaused: true,
      }),
    ).toBe(version);
    // Key order in QStash's answer does not matter.
    const { scheduleId, cron, ...rest } = schedule;
    expect(versionOf({ ...rest, cron, scheduleId })).toBe(version);
  });

  it.each<[string, Partial<QStashSchedule>]>([
    ['cron', { cron: '0 3 * * *' }],
    ['destination', { destination: 'https://jobs.example/other' }],
    ['a header', { header: { 'X-Team': ['ops'] } }],
    ['retries', { retries: 1 }],
    ['the body', { body: 'x' }],
    ['a callback', { callback: 'https://hooks.example/cb' }],
  ])('changes when %s changes', (_what, change) => {
    expect(versionOf({ ...schedule, ...change })).not.toBe(versionOf(schedule));
  });

  it('changes when only the timeout the portal stored changes', () => {
    const stored = {
      scheduleId: 'nightly',
      destination: schedule.destination,
      method: 'POST',
      cron: '0 2 * * *',
      timezone: 'UTC',
      body: null,
      headers: { 'X-Team': 'data' },
      retries: 3,
      timeoutSeconds: 30,
      callback: null,
      failureCallback: null,
      qstashFingerprint: visibleFingerprint(schedule),
      writtenAt: '2026-12-01T00:00:00.000Z',
    };
    expect(scheduleVersion(resolveCurrent(schedule, stored))).not.toBe(
      scheduleVersion(
        resolveCurrent(schedule, { ...stored, timeoutSeconds: 60 }),
      ),
    );
  });
});
