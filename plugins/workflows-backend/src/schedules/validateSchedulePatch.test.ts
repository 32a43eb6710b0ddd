import { validateSchedulePatch } from './validateSchedulePatch';

describe('validateSchedulePatch', () => {
  it('reads a CRON_TZ prefix as the time zone', () => {
    expect(
      validateSchedulePatch({ cron: 'CRON_TZ=Asia/Singapore   0 9 * * *' }),
    ).toEqual({ cron: '0 9 * * *', timezone: 'Asia/Singapore' });
  });

  it('refuses a prefix that contradicts the timezone field, or names no zone', () => {
    expect(() =>
      validateSchedulePatch({
        cron: 'CRON_TZ=Asia/Singapore 0 9 * * *',
        timezone: 'Europe/Berlin',
      }),
    ).toThrow(
      /cron: CRON_TZ=Asia\/Singapore differs from timezone "Europe\/Berlin"/,
    );
    expect(() => validateSchedulePatch({ cron: 'CRON_TZ= 0 9 * * *' })).toThrow(
      /cron: CRON_TZ= needs a zone name/,
    );
    expect(() =>
      validateSchedulePatch({ cron: 'CRON_TZ=Nowhere/Land 0 9 * * *' }),
    ).toThrow(/cron: unknown time zone "Nowhere\/Land"/);
  });

  it('names the field under the given prefix', () => {
    expect(() =>
      validateSchedulePatch({ timezone: 'Mars/Olympus' }, 'definition.'),
    ).toThrow(/Invalid body: definition\.timezone: unknown time zone/);
  });

  it('refuses two header names that differ only in case', () => {
    expect(() =>
      validateSchedulePatch({ headers: { 'X-Team': 'a', 'x-team': 'b' } }),
    ).toThrow(/headers: "X-Team" and "x-team" are the same header/);
  });

  it('leaves a patch without cron or zone as it is', () => {
    expect(validateSchedulePatch({ retries: 2 })).toEqual({ retries: 2 });
  });
});
