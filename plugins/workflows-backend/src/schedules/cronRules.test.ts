import { checkCron, checkTimezone } from './cronRules';

describe('checkCron', () => {
  it.each([
    ['0 9 * * 1-5', '0 9 * * 1-5'],
    ['  */15   9-17 * * MON-FRI ', '*/15 9-17 * * MON-FRI'],
    ['0 0 1 JAN,JUL *', '0 0 1 JAN,JUL *'],
  ])('accepts %p as %p', (cron, normalized) => {
    expect(checkCron(cron, 'UTC', 'cron')).toBe(normalized);
  });

  it.each([
    [
      '61 * * * *',
      /cron: "61 \* \* \* \*" is not a valid cron expression: Invalid value for minute: 61/,
    ],
    ['0 9 * *', /cron: "0 9 \* \*" has 4 fields; QStash takes five/],
    ['@daily', /cron: "@daily" has 1 field;/],
    [
      '0 0 9 * * 1',
      /cron: "0 0 9 \* \* 1" has 6 fields; QStash takes five .*without seconds/,
    ],
    [
      '*/30 * * * * *',
      /cron: "\*\/30 \* \* \* \* \*" fires more than once a minute/,
    ],
    ['0 0 L * *', /cron: "L" \(day of month\) is not standard cron/],
    ['0 0 30 2 *', /cron: "0 0 30 2 \*" never fires/],
  ])('refuses %p naming the field', (cron, message) => {
    expect(() => checkCron(cron, 'UTC', 'cron')).toThrow(message);
  });

  it('words the error as a 400 of the body field it was given', () => {
    expect(() => checkCron('* *', 'UTC', 'definition.cron')).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(/^Invalid body: definition\.cron: /),
      }),
    );
  });
});

describe('checkTimezone', () => {
  it.each([
    'UTC',
    'Asia/Singapore',
    'America/Argentina/Buenos_Aires',
    'Etc/GMT+5',
  ])('accepts %p', zone => {
    expect(() => checkTimezone(zone, 'timezone')).not.toThrow();
  });

  it.each([
    ['Mars/Olympus', /timezone: unknown time zone "Mars\/Olympus"/],
    ['+05:00', /timezone: "\+05:00" is not a time zone name/],
    [
      'asia/singapore',
      /timezone: time zone names are case-sensitive: use "Asia\/Singapore"/,
    ],
  ])('refuses %p', (zone, message) => {
    expect(() => checkTimezone(zone, 'timezone')).toThrow(message);
  });
});
