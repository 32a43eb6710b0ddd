/** A URL written in an error text. */
export interface UrlInError {
  /** Where the URL starts in the text. */
  start: number;
  /** Where it ends (exclusive), trailing punctuation left out. */
  end: number;
  /** Null when the text only looks like a URL and does not parse as one. */
  url: URL | null;
}

/**
 * http(s) URLs up to the first space or quote. A following word that goes on
 * with a '/' still belongs to the URL: LTA paths hold a literal space
 * ("Vehicle Registration/...") when a URL is written unencoded. "HTTP/1.1"
 * after a URL is the protocol of a status line, not more path.
 */
const URL_PATTERN =
  /\bhttps?:\/\/[^\s"'`<>]+(?: (?!HTTP\/)[^\s"'`<>/]+\/[^\s"'`<>]*)*/gi;

/** Sentence punctuation that ends a URL written in running text. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

/**
 * Hosts whose URL paths carry a credential: the bot token of the Telegram
 * Bot API, the token of a Discord webhook.
 */
const HOSTS_WITH_SECRET_PATHS: ReadonlyArray<string> = [
  'api.telegram.org',
  'discord.com',
  'discordapp.com',
];

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** The URLs of an error text, in order. */
export function findUrls(text: string): UrlInError[] {
  const found: UrlInError[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const written = match[0].replace(TRAILING_PUNCTUATION, '');
    const start = match.index ?? 0;
    found.push({
      start,
      end: start + written.length,
      url: parseUrl(written),
    });
  }
  return found;
}

/** Whether the host is `domain` or one of its subdomains. */
export function hostIsWithin(hostname: string, domain: string): boolean {
  return hostname === domain || hostname.endsWith(`.${domain}`);
}

/**
 * The URL as it may be shown: scheme, host and path, without user info,
 * query or fragment, which can hold keys. For hosts that put credentials in
 * the path only the origin is left.
 */
export function displayableUrl(url: URL): string {
  const pathIsSecret = HOSTS_WITH_SECRET_PATHS.some(domain =>
    hostIsWithin(url.hostname, domain),
  );
  return pathIsSecret
    ? `${url.protocol}//${url.host}`
    : `${url.protocol}//${url.host}${url.pathname}`;
}
