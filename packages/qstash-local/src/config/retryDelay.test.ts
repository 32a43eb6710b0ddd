import { compileRetryDelay, defaultBackoffMs } from './retryDelay';

describe('defaultBackoffMs', () => {
  it('follows min(86400, e^(2.5n)) seconds: 12s, 2m28s, 30m8s, 6h7m, then one day', () => {
    expect(
      [1, 2, 3, 4, 5, 6].map(n => Math.round(defaultBackoffMs(n) / 1000)),
    ).toEqual([12, 148, 1808, 22026, 86400, 86400]);
  });
});

describe('compileRetryDelay', () => {
  it.each([
    ['1000', [1000, 1000]],
    ['1000 * (1 + retried)', [1000, 2000]],
    ['pow(2, retried) * 1000', [1000, 2000]],
    ['max(1000, pow(2, retried) * 100)', [1000, 1000]],
    [
      'min(sqrt(16) * 10, abs(-7)) + floor(1.7) + ceil(0.2) + round(0.4) + exp(0) - 3',
      [7, 7],
    ],
  ])('evaluates %s', (expression, [first, second]) => {
    const delay = compileRetryDelay(expression);
    expect([delay(0), delay(1)]).toEqual([first, second]);
  });

  it('caps delays at one day and never goes below zero', () => {
    expect(compileRetryDelay('pow(10, 12)')(0)).toBe(86_400_000);
    expect(compileRetryDelay('0 - 5')(0)).toBe(0);
  });

  it.each([
    ['process.exit(1)', /not allowed|not supported/],
    ['constructor', /unknown variable/],
    ['"text"', /only numbers/],
    ['pow(2)', /takes 2 argument/],
    ['eval(1)', /function "eval" is not supported/],
    ['1 +', /cannot parse/],
    ['retried > 1 ? 5 : 6', /not allowed|not supported/],
  ])('rejects %s', (expression, reason) => {
    expect(() => compileRetryDelay(expression)).toThrow(reason);
  });
});
