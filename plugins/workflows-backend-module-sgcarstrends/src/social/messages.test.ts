import type { CarsSummary, CoeSummary, PlatformId } from '../types';
import { formatCarsMessage, formatCoeMessage } from './messages';
import { TWEET_MAX_WEIGHT, tweetWeight } from './tweetLength';

const SITE_URL = 'https://sgcarstrends.com';

const carsSummary: CarsSummary = {
  month: '2024-05',
  total: 3774,
  byFuelType: [
    { name: 'Diesel', count: 54 },
    { name: 'Petrol', count: 1820 },
    { name: 'Electric', count: 800 },
    { name: 'Hybrid', count: 1100 },
  ],
  byVehicleType: [
    { name: 'Hatchback', count: 900 },
    { name: 'SUV', count: 1500 },
    { name: 'Coupe/Convertible', count: 200 },
    { name: 'Sedan', count: 1000 },
    { name: 'Multi-purpose Vehicle/Station-wagon', count: 174 },
  ],
};

const coeSummary: CoeSummary = {
  month: '2024-05',
  biddingNo: 2,
  results: [
    {
      vehicleClass: 'Category B',
      quota: 630,
      bidsSuccess: 611,
      bidsReceived: 868,
      premium: 116001,
    },
    {
      vehicleClass: 'Category A',
      quota: 1010,
      bidsSuccess: 992,
      bidsReceived: 1446,
      premium: 95689,
    },
    {
      vehicleClass: 'Category E',
      quota: 190,
      bidsSuccess: 185,
      bidsReceived: 281,
      premium: 115501,
    },
    {
      vehicleClass: 'Category C',
      quota: 262,
      bidsSuccess: 249,
      bidsReceived: 395,
      premium: 68000,
    },
    {
      vehicleClass: 'Category D',
      quota: 503,
      bidsSuccess: 486,
      bidsReceived: 608,
      premium: 9589,
    },
  ],
};

const MARKUP = /<\/?[a-z][^>]*>|\*\*|__|\[[^\]]*\]\(/i;

describe('formatCarsMessage', () => {
  it('lists the total, every fuel type and vehicle type (largest first) and links to the month', () => {
    const text = formatCarsMessage(carsSummary, {
      siteUrl: SITE_URL,
      platform: 'discord',
    });
    expect(text).toBe(
      [
        'Updated car registration data for 2024-05',
        '',
        'Total: 3,774 new cars',
        '',
        'By fuel type:',
        'Petrol: 1,820',
        'Hybrid: 1,100',
        'Electric: 800',
        'Diesel: 54',
        '',
        'By vehicle type:',
        'SUV: 1,500',
        'Sedan: 1,000',
        'Hatchback: 900',
        'Coupe/Convertible: 200',
        'Multi-purpose Vehicle/Station-wagon: 174',
        '',
        'https://sgcarstrends.com/cars?month=2024-05&utm_source=discord&utm_medium=social&utm_campaign=cars',
      ].join('\n'),
    );
    expect(text).not.toMatch(MARKUP);
  });

  it.each<PlatformId>(['discord', 'telegram', 'linkedin', 'twitter'])(
    'tags the link with utm_source=%s',
    platform => {
      const text = formatCarsMessage(carsSummary, {
        siteUrl: SITE_URL,
        platform,
      });
      const link = new URL(text.split('\n').pop()!);
      expect(link.pathname).toBe('/cars');
      expect(Object.fromEntries(link.searchParams)).toEqual({
        month: '2024-05',
        utm_source: platform,
        utm_medium: 'social',
        utm_campaign: 'cars',
      });
    },
  );

  it('keeps a path prefix of the site and ignores a trailing slash', () => {
    const text = formatCarsMessage(carsSummary, {
      siteUrl: 'https://example.com/trends/',
      platform: 'telegram',
    });
    expect(text.split('\n').pop()).toBe(
      'https://example.com/trends/cars?month=2024-05&utm_source=telegram&utm_medium=social&utm_campaign=cars',
    );
  });

  it('rejects a month that is not YYYY-MM and a site that is not an http(s) URL', () => {
    expect(() =>
      formatCarsMessage(
        { ...carsSummary, month: '2024' },
        { siteUrl: SITE_URL, platform: 'discord' },
      ),
    ).toThrow('Summary month must be YYYY-MM, got "2024"');
    expect(() =>
      formatCarsMessage(carsSummary, {
        siteUrl: 'sgcarstrends.com',
        platform: 'discord',
      }),
    ).toThrow('siteUrl must be an absolute URL');
  });
});

describe('formatCoeMessage', () => {
  it('names the exercise and lists each category premium in S$ with a link to /coe', () => {
    const text = formatCoeMessage(coeSummary, {
      siteUrl: SITE_URL,
      platform: 'telegram',
    });
    expect(text).toBe(
      [
        'Latest COE results for 2024-05 (2nd Bidding)',
        '',
        'Category A: S$95,689',
        'Category B: S$116,001',
        'Category C: S$68,000',
        'Category D: S$9,589',
        'Category E: S$115,501',
        '',
        'https://sgcarstrends.com/coe?utm_source=telegram&utm_medium=social&utm_campaign=coe',
      ].join('\n'),
    );
    expect(text).not.toMatch(MARKUP);
  });

  it('calls the first exercise "1st Bidding" and tags the link per platform', () => {
    const text = formatCoeMessage(
      { ...coeSummary, biddingNo: 1 },
      { siteUrl: SITE_URL, platform: 'linkedin' },
    );
    expect(text.split('\n')[0]).toBe(
      'Latest COE results for 2024-05 (1st Bidding)',
    );
    expect(text.split('\n').pop()).toBe(
      'https://sgcarstrends.com/coe?utm_source=linkedin&utm_medium=social&utm_campaign=coe',
    );
  });

  it('refuses to format an exercise without results', () => {
    expect(() =>
      formatCoeMessage(
        { ...coeSummary, results: [] },
        { siteUrl: SITE_URL, platform: 'discord' },
      ),
    ).toThrow('COE summary for 2024-05 bidding 2 has no results to post');
  });
});

describe('Twitter length', () => {
  const longCarsSummary: CarsSummary = {
    ...carsSummary,
    byVehicleType: Array.from({ length: 12 }, (_, index) => ({
      name: `Very long vehicle type name number ${index + 1}`,
      count: 1000 - index,
    })),
  };

  it('leaves a message that fits unchanged', () => {
    const text = formatCoeMessage(coeSummary, {
      siteUrl: SITE_URL,
      platform: 'twitter',
    });
    expect(tweetWeight(text)).toBeLessThanOrEqual(TWEET_MAX_WEIGHT);
    expect(text).toBe(
      formatCoeMessage(coeSummary, {
        siteUrl: SITE_URL,
        platform: 'discord',
      }).replace('utm_source=discord', 'utm_source=twitter'),
    );
  });

  it('cuts whole lines with an ellipsis, keeps the link whole and stays within 280 with URLs counted as 23', () => {
    // A long site URL: only its t.co length (23) may count.
    const siteUrl = `https://example.com/${'x'.repeat(120)}`;
    const full = formatCarsMessage(longCarsSummary, {
      siteUrl,
      platform: 'telegram',
    }).replace('utm_source=telegram', 'utm_source=twitter');
    const tweet = formatCarsMessage(longCarsSummary, {
      siteUrl,
      platform: 'twitter',
    });

    expect(tweetWeight(full)).toBeGreaterThan(TWEET_MAX_WEIGHT);
    expect(tweet.length).toBeGreaterThan(TWEET_MAX_WEIGHT);
    expect(tweetWeight(tweet)).toBeLessThanOrEqual(TWEET_MAX_WEIGHT);

    const link = full.split('\n').pop()!;
    expect(tweet.endsWith(`\u2026\n\n${link}`)).toBe(true);
    const tweetLines = tweet.split('\n').slice(0, -3);
    expect(tweetLines[0]).toBe('Updated car registration data for 2024-05');
    // Every line shown is a complete line of the full message: no half numbers.
    const fullLines = new Set(full.split('\n'));
    for (const line of tweetLines) {
      expect(fullLines).toContain(line);
    }
    expect(tweetLines).toContain('Total: 3,774 new cars');
    expect(tweetLines[tweetLines.length - 1]).toMatch(/: [\d,]+$/);
  });

  it('counts each URL as 23, the ellipsis and CJK as 2, ASCII as 1', () => {
    expect(tweetWeight(`see https://example.com/${'a'.repeat(200)}`)).toBe(
      4 + 23,
    );
    expect(tweetWeight('ab\u2026')).toBe(4);
    expect(tweetWeight('\u8f66\u724c')).toBe(4);
    expect(tweetWeight('x '.repeat(140))).toBe(280);
  });
});
