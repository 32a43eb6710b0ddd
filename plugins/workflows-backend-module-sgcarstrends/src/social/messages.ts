import type { CarsSummary, CoeSummary, DatasetId, PlatformId } from '../types';
import { TWEET_MAX_WEIGHT, tweetWeight } from './tweetLength';

/** Where the message links to and which platform it is for (sets the UTM source). */
export interface MessageOptions {
  /** The public site, e.g. https://sgcarstrends.com (a trailing slash is fine). */
  siteUrl: string;
  platform: PlatformId;
}

/**
 * One line of the message body. Headings introduce the lines after them and
 * are dropped when shortening would leave them with nothing below.
 */
interface BodyLine {
  text: string;
  kind: 'heading' | 'detail' | 'blank';
}

const ELLIPSIS = '\u2026';
const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const numberFormat = new Intl.NumberFormat('en-US', {
  maximumFractionDigits: 0,
});

/**
 * "Updated car registration data for 2024-05", the total, one line per fuel
 * type and per vehicle type (largest first) and a link to that month.
 * Plain text: the platform clients escape it for their own markup.
 */
export function formatCarsMessage(
  summary: CarsSummary,
  options: MessageOptions,
): string {
  assertMonth(summary.month);
  const body: BodyLine[] = [
    heading(`Updated car registration data for ${summary.month}`),
    blank(),
    detail(`Total: ${formatCount(summary.total)} new cars`),
    ...countSection('By fuel type:', summary.byFuelType),
    ...countSection('By vehicle type:', summary.byVehicleType),
  ];
  const link = buildLink(options, 'cars', '/cars', { month: summary.month });
  return composeMessage(body, link, options.platform);
}

/**
 * "Latest COE results for 2024-05 (2nd Bidding)", one line per category with
 * its premium in S$ and a link to the COE page.
 */
export function formatCoeMessage(
  summary: CoeSummary,
  options: MessageOptions,
): string {
  assertMonth(summary.month);
  if (!Number.isInteger(summary.biddingNo) || summary.biddingNo < 1) {
    throw new Error(
      `COE bidding number must be a positive integer, got ${summary.biddingNo}`,
    );
  }
  if (summary.results.length === 0) {
    throw new Error(
      `COE summary for ${summary.month} bidding ${summary.biddingNo} has no results to post`,
    );
  }
  const categories = [...summary.results].sort((a, b) =>
    a.vehicleClass.localeCompare(b.vehicleClass, 'en'),
  );
  const body: BodyLine[] = [
    heading(
      `Latest COE results for ${summary.month} (${ordinal(
        summary.biddingNo,
      )} Bidding)`,
    ),
    blank(),
    ...categories.map(result =>
      detail(`${result.vehicleClass}: S$${formatCount(result.premium)}`),
    ),
  ];
  const link = buildLink(options, 'coe', '/coe', {});
  return composeMessage(body, link, options.platform);
}

function countSection(
  title: string,
  counts: CarsSummary['byFuelType'],
): BodyLine[] {
  if (counts.length === 0) {
    return [];
  }
  const largestFirst = [...counts].sort(
    (a, b) => b.count - a.count || a.name.localeCompare(b.name, 'en'),
  );
  return [
    blank(),
    heading(title),
    ...largestFirst.map(({ name, count }) =>
      detail(`${name}: ${formatCount(count)}`),
    ),
  ];
}

function buildLink(
  options: MessageOptions,
  campaign: DatasetId,
  path: string,
  query: Record<string, string>,
): string {
  let site: URL;
  try {
    site = new URL(options.siteUrl);
  } catch {
    throw new Error(
      `siteUrl must be an absolute URL, got "${options.siteUrl}"`,
    );
  }
  if (site.protocol !== 'https:' && site.protocol !== 'http:') {
    throw new Error(`siteUrl must be an http(s) URL, got "${options.siteUrl}"`);
  }
  const params = new URLSearchParams({
    ...query,
    utm_source: options.platform,
    utm_medium: 'social',
    utm_campaign: campaign,
  });
  // Keep any path prefix of the site (e.g. https://example.com/app).
  const base = `${site.origin}${site.pathname.replace(/\/+$/, '')}`;
  return `${base}${path}?${params.toString()}`;
}

function composeMessage(
  body: BodyLine[],
  link: string,
  platform: PlatformId,
): string {
  const full = joinMessage(
    body.map(line => line.text),
    link,
  );
  if (platform !== 'twitter' || tweetWeight(full) <= TWEET_MAX_WEIGHT) {
    return full;
  }
  return shortenForTwitter(body, link);
}

function joinMessage(lines: string[], link: string): string {
  return `${lines.join('\n')}\n\n${link}`;
}

/**
 * Drops whole lines from the end (a number cut in half would be wrong, not
 * just short), marks the cut with an ellipsis and always keeps the link.
 */
function shortenForTwitter(body: BodyLine[], link: string): string {
  for (let keep = body.length - 1; keep > 1; keep--) {
    const kept = body.slice(0, keep);
    while (kept.length > 1 && kept[kept.length - 1].kind !== 'detail') {
      kept.pop();
    }
    const candidate = joinMessage([...kept.map(l => l.text), ELLIPSIS], link);
    if (tweetWeight(candidate) <= TWEET_MAX_WEIGHT) {
      return candidate;
    }
  }
  // The headline is short and fixed (its month is validated), so it always fits.
  return joinMessage([body[0].text, ELLIPSIS], link);
}

function assertMonth(month: string) {
  if (!MONTH_PATTERN.test(month)) {
    throw new Error(`Summary month must be YYYY-MM, got "${month}"`);
  }
}

function formatCount(value: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`Cannot format ${value} as a count`);
  }
  return numberFormat.format(value);
}

function ordinal(value: number): string {
  const lastTwo = value % 100;
  if (lastTwo >= 11 && lastTwo <= 13) {
    return `${value}th`;
  }
  const suffixes: Record<number, string> = { 1: 'st', 2: 'nd', 3: 'rd' };
  return `${value}${suffixes[value % 10] ?? 'th'}`;
}

function heading(text: string): BodyLine {
  return { text, kind: 'heading' };
}

function detail(text: string): BodyLine {
  return { text, kind: 'detail' };
}

function blank(): BodyLine {
  return { text: '', kind: 'blank' };
}
