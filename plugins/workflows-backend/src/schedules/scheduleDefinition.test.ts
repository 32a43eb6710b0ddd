import type { QStashSchedule } from '../qstash/QStashGateway';
import {
  applyPatch,
  newSchedule,
  resolveCurrent,
  StoredScheduleDefinition,
  toDefinitionView,
  toGatewayDefinition,
} from './scheduleDefinition';
import { visibleFingerprint } from './scheduleVersion';

const onQStash: QStashSchedule = {
  scheduleId: 'nightly',
  destination: 'https://jobs.example/nightly',
  cron: 'CRON_TZ=Asia/Singapore 0 2 * * *',
  method: 'POST',
  header: {
    'Content-Type': ['application/json'],
    'X-Team': ['data'],
  },
  body: '{"full":true}',
  retries: 2,
  isPaused: false,
  createdAt: 1,
  labels: ['reports'],
  delay: 30,
};

function storedFor(
  schedule: QStashSchedule,
  overrides: Partial<StoredScheduleDefinition> = {},
): StoredScheduleDefinition {
  return {
    scheduleId: schedule.scheduleId,
    destination: schedule.destination,
    method: 'POST',
    cron: '0 2 * * *',
    timezone: 'Asia/Singapore',
    body: '{"full":true}',
    headers: { 'content-type': 'application/json', 'x-team': 'data' },
    retries: 2,
    timeoutSeconds: 45,
    callback: null,
    failureCallback: null,
    qstashFingerprint: visibleFingerprint(schedule),
    writtenAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('resolveCurrent', () => {
  it('takes the timeout and headers from what the portal wrote while QStash still shows that write', () => {
    const current = resolveCurrent(onQStash, storedFor(onQStash));
    expect(current.source).toBe('portal');
    expect(current.unknown).toEqual([]);
    expect(current.definition).toMatchObject({
      cron: '0 2 * * *',
      timezone: 'Asia/Singapore',
      timeoutSeconds: 45,
      retries: 2,
    });
    expect(current.carried).toEqual({ delaySeconds: 30, labels: ['reports'] });
  });

  it('distrusts the stored definition once the schedule changed elsewhere, and says the timeout is unknown', () => {
    const changed = { ...onQStash, cron: '0 3 * * *' };
    const current = resolveCurrent(changed, storedFor(onQStash));
    expect(current.source).toBe('qstash');
    expect(current.unknown).toEqual(['timeoutSeconds']);
    expect(current.definition).toMatchObject({
      cron: '0 3 * * *',
      timezone: 'UTC',
      timeoutSeconds: null,
      body: '{"full":true}',
      headers: { 'Content-Type': 'application/json', 'X-Team': 'data' },
    });
  });

  it('marks redacted or binary bodies and redacted headers unknown, and reads forwarded names', () => {
    const redacted = resolveCurrent(
      {
        ...onQStash,
        body: 'REDACTED:9f86d081',
        header: { Authorization: ['REDACTED:2c26b46b'] },
        retries: undefined,
      },
      undefined,
    );
    expect(redacted.unknown.sort()).toEqual(
      ['body', 'headers', 'retries', 'timeoutSeconds'].sort(),
    );
    const binary = resolveCurrent(
      {
        ...onQStash,
        body: undefined,
        bodyBase64: '/w==',
        header: {
          'Upstash-Forward-X-Team': ['data'],
          'Upstash-Retries': ['2'],
        },
      },
      undefined,
    );
    expect(binary.unknown).toContain('body');
    expect(binary.definition.headers).toEqual({ 'X-Team': 'data' });
  });
});

describe('applyPatch', () => {
  it('keeps what the patch leaves out and lists unknown fields it leaves unset', () => {
    const current = resolveCurrent(
      { ...onQStash, cron: '0 3 * * *' },
      undefined,
    );
    const { proposed, unset } = applyPatch(current, {
      cron: '0 4 * * *',
      body: null,
    });
    expect(proposed).toMatchObject({
      cron: '0 4 * * *',
      body: null,
      headers: { 'Content-Type': 'application/json', 'X-Team': 'data' },
      retries: 2,
    });
    expect(unset).toEqual(['timeoutSeconds']);
    expect(applyPatch(current, { timeoutSeconds: 10 }).unset).toEqual([]);
  });

  it('starts a new schedule from QStash defaults', () => {
    const { proposed, unset } = applyPatch(
      newSchedule('https://jobs.example/a', '0 9 * * *'),
      { destination: 'https://jobs.example/a', cron: '0 9 * * *', retries: 1 },
    );
    expect(proposed).toEqual({
      destination: 'https://jobs.example/a',
      method: 'POST',
      cron: '0 9 * * *',
      timezone: 'UTC',
      body: null,
      headers: {},
      retries: 1,
      timeoutSeconds: null,
      callback: null,
      failureCallback: null,
    });
    expect(unset).toEqual([]);
  });
});

describe('toGatewayDefinition and toDefinitionView', () => {
  it('sends the zone as CRON_TZ and carries settings the portal does not edit', () => {
    const current = resolveCurrent(onQStash, storedFor(onQStash));
    expect(
      toGatewayDefinition('nightly', current.definition, current.carried),
    ).toMatchObject({
      cron: 'CRON_TZ=Asia/Singapore 0 2 * * *',
      timeoutSeconds: 45,
      delaySeconds: 30,
      labels: ['reports'],
    });
  });

  it('shows header names, never their values', () => {
    const view = toDefinitionView({
      ...newSchedule('https://jobs.example/a', '0 9 * * *').definition,
      headers: { Authorization: 'Bearer s3cret', 'x-team': 'data' },
    });
    expect(view.headerNames).toEqual(['Authorization', 'x-team']);
    expect(JSON.stringify(view)).not.toContain('s3cret');
  });
});
