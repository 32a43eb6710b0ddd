import type { CarsSummary } from '../types';
import { formatCarsMessage } from './messages';
import { TWEET_MAX_WEIGHT, tweetWeight } from './tweetLength';

const summary: CarsSummary = {
  month: '2024-05',
  total: 3774,
  byFuelType: [],
  byVehicleType: [
    { name: 'Sedan', count: 1000 },
    { name: 'Hatchback', count: 900 },
  ],
};

/** The untouched message, as another platform gets it, tagged for Twitter. */
function fullMessage(s: CarsSummary, siteUrl: string) {
  return formatCarsMessage(s, { siteUrl, platform: 'telegram' }).replace(
    'utm_source=telegram',
    'utm_source=twitter',
  );
}

describe('tweets are shortened exactly when their weight exceeds 280', () => {
  it('keeps a message longer than 280 characters whose weight fits (a long link counts 23)', () => {
    const siteUrl = `https://example.com/${'long-path-segment/'.repeat(12)}`;
    const full = fullMessage(summary, siteUrl);
    expect(full.length).toBeGreaterThan(TWEET_MAX_WEIGHT);
    expect(tweetWeight(full)).toBeLessThanOrEqual(TWEET_MAX_WEIGHT);

    expect(formatCarsMessage(summary, { siteUrl, platform: 'twitter' })).toBe(
      full,
    );
  });

  it('shortens a message of at most 280 characters whose CJK names weigh more', () => {
    const siteUrl = 'https://a.co';
    const cjk: CarsSummary = {
      ...summary,
      byVehicleType: [
        { name: '\u591a\u7528\u9014\u8f66\u8f86'.repeat(9), count: 1000 },
        { name: '\u8f7f\u8f66\u4e24\u53a2\u8f66\u578b'.repeat(8), count: 900 },
      ],
    };
    const full = fullMessage(cjk, siteUrl);
    expect(full.length).toBeLessThanOrEqual(TWEET_MAX_WEIGHT);
    expect(tweetWeight(full)).toBeGreaterThan(TWEET_MAX_WEIGHT);

    const tweet = formatCarsMessage(cjk, { siteUrl, platform: 'twitter' });
    expect(tweet).not.toBe(full);
    expect(tweetWeight(tweet)).toBeLessThanOrEqual(TWEET_MAX_WEIGHT);
    const link = full.split('\n').pop()!;
    expect(tweet.endsWith(`\u2026\n\n${link}`)).toBe(true);
    expect(tweet.startsWith('Updated car registration data for 2024-05')).toBe(
      true,
    );
  });
});
