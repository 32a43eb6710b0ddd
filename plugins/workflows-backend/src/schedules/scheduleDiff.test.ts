import { newSchedule, ScheduleDefinition } from './scheduleDefinition';
import { diffDefinitions } from './scheduleDiff';

const before: ScheduleDefinition = {
  ...newSchedule('https://jobs.example/a', '0 9 * * *').definition,
  timezone: 'America/New_York',
  headers: { Authorization: 'Bearer old-secret', 'X-Team': 'data' },
  retries: 3,
};

describe('diffDefinitions', () => {
  it('lists only the fields that change, with header names and no header values', () => {
    const after: ScheduleDefinition = {
      ...before,
      cron: '30 9 * * 1-5',
      headers: { authorization: 'Bearer new-secret', 'X-Team': 'data' },
    };
    const changes = diffDefinitions(before, [], after);
    expect(changes).toEqual([
      {
        field: 'cron',
        before: '0 9 * * *',
        after: '30 9 * * 1-5',
        beforeUnknown: false,
      },
      {
        field: 'headers',
        before: 'Authorization, X-Team',
        after: 'authorization (new value), X-Team',
        beforeUnknown: false,
      },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/secret/);
  });

  it('finds nothing to change when header names differ only in case', () => {
    const after = {
      ...before,
      headers: { authorization: 'Bearer old-secret', 'x-team': 'data' },
    };
    expect(diffDefinitions(before, [], after)).toEqual([]);
  });

  it('always lists an unknown field, and every set field of a new schedule', () => {
    expect(diffDefinitions(before, ['timeoutSeconds'], { ...before })).toEqual([
      {
        field: 'timeoutSeconds',
        before: null,
        after: null,
        beforeUnknown: true,
      },
    ]);
    expect(diffDefinitions(undefined, [], before).map(c => c.field)).toEqual([
      'destination',
      'method',
      'cron',
      'timezone',
      'headers',
      'retries',
    ]);
  });
});
