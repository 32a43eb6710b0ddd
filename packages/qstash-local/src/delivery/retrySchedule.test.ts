import { AttemptResult } from './httpAttempt';
import { requestedRetryMs, retryAfterMs } from './retrySchedule';

const NOW = Date.parse('2024-06-27T12:16:20Z');

function response(headers: Record<string, string>): AttemptResult {
  return {
    kind: 'response',
    status: 429,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, [value]]),
    ),
    body: Buffer.alloc(0),
  };
}

describe('retryAfterMs', () => {
  it.each([
    ['0', 0],
    ['10', 10_000],
    ['3s', 3000],
    ['6m5s', 365_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['1500us', 2],
    ['2000000ns', 2],
    ['Thu, 27 Jun 2024 12:16:24 GMT', 4000],
    // A date in the past means "now".
    ['Thu, 27 Jun 2024 12:00:00 GMT', 0],
  ])('reads %s as %d ms', (value, expected) => {
    expect(retryAfterMs(value, NOW)).toBe(expected);
  });

  it.each(['', 'soon', '-3s', '3 s', '3d', '2024-06-27', '1e3'])(
    'ignores %j',
    value => {
      expect(retryAfterMs(value, NOW)).toBeUndefined();
    },
  );
});

describe('requestedRetryMs', () => {
  it('takes Retry-After before the X-RateLimit-Reset headers', () => {
    expect(
      requestedRetryMs(
        response({ 'X-RateLimit-Reset': '9s', 'Retry-After': '2s' }),
        NOW,
      ),
    ).toBe(2000);
  });

  it('skips an unreadable header for the next one', () => {
    expect(
      requestedRetryMs(
        response({ 'retry-after': 'later', 'x-ratelimit-reset-tokens': '4s' }),
        NOW,
      ),
    ).toBe(4000);
  });

  it('is undefined without any of them or without a response', () => {
    expect(
      requestedRetryMs(response({ 'x-other': '3s' }), NOW),
    ).toBeUndefined();
    expect(requestedRetryMs({ kind: 'error', error: 'refused' }, NOW)).toBe(
      undefined,
    );
  });
});
