import { hostIsWithin } from './errorSignatureUrls';

/** An upstream the workflows talk to, as an operator knows it. */
interface KnownUpstream {
  name: string;
  domains: ReadonlyArray<string>;
  /** How error texts and step names call it when no URL is written. */
  word: RegExp;
  /** Posts with credentials from env vars: a 401/403 means those are wrong. */
  isSocialPlatform: boolean;
}

/**
 * One of the names as a word of its own, in any case; underscores and dashes
 * separate words too, for step names such as "post_linkedin".
 */
function named(...names: string[]): RegExp {
  return new RegExp(`(?<![A-Za-z])(?:${names.join('|')})(?![A-Za-z])`, 'i');
}

const KNOWN_UPSTREAMS: ReadonlyArray<KnownUpstream> = [
  {
    name: 'LTA DataMall',
    domains: ['datamall.lta.gov.sg', 'datamall2.mytransport.sg'],
    word: named('LTA', 'DataMall'),
    isSocialPlatform: false,
  },
  {
    name: 'Telegram',
    domains: ['api.telegram.org', 'telegram.org'],
    word: named('Telegram'),
    isSocialPlatform: true,
  },
  {
    name: 'LinkedIn',
    domains: ['linkedin.com'],
    word: named('LinkedIn'),
    isSocialPlatform: true,
  },
  {
    name: 'Twitter/X',
    domains: ['twitter.com', 'x.com'],
    word: named('Twitter', 'tweets?'),
    isSocialPlatform: true,
  },
  {
    name: 'Discord',
    domains: ['discord.com', 'discordapp.com'],
    word: named('Discord'),
    isSocialPlatform: true,
  },
  {
    name: 'QStash',
    domains: ['upstash.io'],
    word: named('QStash', 'Upstash'),
    isSocialPlatform: false,
  },
];

/** Who answered, as far as the error tells. */
export interface Upstream {
  /** "LTA DataMall", "Telegram", ... or the bare host of an unknown one. */
  name: string;
  isSocialPlatform: boolean;
}

/**
 * The upstream an error is about: by the host of its URL first (the most
 * certain), then by the words of the error, then by the step's name
 * ("publish-telegram"). Null when nothing names one.
 */
export function upstreamOf(
  hostname: string | null,
  error: string,
  step: string | null,
): Upstream | null {
  const known =
    (hostname &&
      KNOWN_UPSTREAMS.find(upstream =>
        upstream.domains.some(domain => hostIsWithin(hostname, domain)),
      )) ||
    KNOWN_UPSTREAMS.find(upstream => upstream.word.test(error)) ||
    (step && KNOWN_UPSTREAMS.find(upstream => upstream.word.test(step)));
  if (known) {
    return { name: known.name, isSocialPlatform: known.isSocialPlatform };
  }
  return hostname ? { name: hostname, isSocialPlatform: false } : null;
}
