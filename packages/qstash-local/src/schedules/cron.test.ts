import { nextTick, parseCron } from './cron';

describe('parseCron', () => {
  it('reads a plain expression as UTC', () => {
    const cron = parseCron('*/15 * * * *');
    expect(cron).toEqual({
      text: '*/15 * * * *',
      timezone: undefined,
      pattern: '*/15 * * * *',
    });
    expect(nextTick(cron, Date.parse('2030-01-01T10:07:00Z'))).toBe(
      Date.parse('2030-01-01T10:15:00Z'),
    );
  });

  it('reads CRON_TZ as the zone of the fields', () => {
    const cron = parseCron('CRON_TZ=America/New_York 0 9 * * 1-5');
    expect(cron.timezone).toBe('America/New_York');
    // Friday 2030-01-04 14:30 UTC is 09:30 in New York; the next weekday 09:00 is Monday.
    expect(nextTick(cron, Date.parse('2030-01-04T14:30:00Z'))).toBe(
      Date.parse('2030-01-07T14:00:00Z'),
    );
  });

  it.each([
    ['* * * *', /has 4 fields/],
    ['0 */5 * * * *', /has 6 fields/],
    ['60 * * * *', /not a valid cron expression/],
    ['CRON_TZ=Nowhere/Land * * * * *', /unknown time zone "Nowhere\/Land"/],
  ])('rejects %s', (text, reason) => {
    expect(() => parseCron(text)).toThrow(reason);
  });
});
