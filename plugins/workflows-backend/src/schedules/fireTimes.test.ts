import { nextFireTimes, wallTime } from './fireTimes';

describe('nextFireTimes', () => {
  it('keeps 09:00 New York time across the March change (UTC offset -5 to -4)', () => {
    const times = nextFireTimes(
      { cron: '0 9 * * *', timezone: 'America/New_York' },
      new Date('2026-03-06T00:00:00Z'),
    );
    expect(times).toEqual([
      { at: '2026-03-06T14:00:00.000Z', local: '2026-03-06T09:00:00-05:00' },
      { at: '2026-03-07T14:00:00.000Z', local: '2026-03-07T09:00:00-05:00' },
      { at: '2026-03-08T13:00:00.000Z', local: '2026-03-08T09:00:00-04:00' },
      { at: '2026-03-09T13:00:00.000Z', local: '2026-03-09T09:00:00-04:00' },
      { at: '2026-03-10T13:00:00.000Z', local: '2026-03-10T09:00:00-04:00' },
    ]);
  });

  it('fires a time the change skips right after the gap, once', () => {
    // 02:30 does not exist on 2026-03-08 in New York: clocks jump from 02:00 to 03:00.
    const times = nextFireTimes(
      { cron: '30 2 * * *', timezone: 'America/New_York' },
      new Date('2026-03-07T12:00:00Z'),
      3,
    );
    expect(times.map(t => t.local)).toEqual([
      '2026-03-08T03:00:00-04:00',
      '2026-03-09T02:30:00-04:00',
      '2026-03-10T02:30:00-04:00',
    ]);
  });

  it('fires a time the November change repeats once', () => {
    const times = nextFireTimes(
      { cron: '30 1 * * *', timezone: 'America/New_York' },
      new Date('2026-10-31T12:00:00Z'),
      2,
    );
    expect(times).toEqual([
      { at: '2026-11-01T05:30:00.000Z', local: '2026-11-01T01:30:00-04:00' },
      { at: '2026-11-02T06:30:00.000Z', local: '2026-11-02T01:30:00-05:00' },
    ]);
  });

  it('gives nothing for a cron it cannot read', () => {
    expect(
      nextFireTimes({ cron: 'nonsense', timezone: 'UTC' }, new Date()),
    ).toEqual([]);
  });
});

describe('wallTime', () => {
  it('writes UTC with a +00:00 offset and other zones with theirs', () => {
    const at = new Date('2026-12-01T23:30:00Z');
    expect(wallTime(at, 'UTC')).toBe('2026-12-01T23:30:00+00:00');
    expect(wallTime(at, 'Asia/Singapore')).toBe('2026-12-02T07:30:00+08:00');
    expect(wallTime(at, 'Asia/Kolkata')).toBe('2026-12-02T05:00:00+05:30');
  });
});
