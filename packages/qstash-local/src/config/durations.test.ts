import { parseDuration } from './durations';

describe('parseDuration', () => {
  it.each([
    ['50s', 50_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d10h30m', 124_200_000],
    ['250ms', 250],
    ['30', 30_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '10 s', '-5s', '1.5h', '10w'])('rejects "%s"', text => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
