import { STATUS_CODES } from 'node:http';

/** An HTTP status code written in an error text. */
export interface StatusInError {
  /** Where its three digits start in the text. */
  start: number;
  status: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Node's reason phrases of the 4xx and 5xx codes: "Not Found", "Too Many Requests", ... */
const ERROR_REASON_PHRASES = Object.entries(STATUS_CODES)
  .filter(([code, phrase]) => Number(code) >= 400 && phrase)
  .map(([, phrase]) => escapeRegExp(phrase as string))
  // Longest first, so "Request Timeout" is not cut short by a shorter phrase.
  .sort((a, b) => b.length - a.length)
  .join('|');

/**
 * Three digits that are an HTTP status by what surrounds them: after "HTTP",
 * "HTTP/1.1", "status", "status code", a JSON "status" or "error_code" key
 * (the LinkedIn and Telegram replies), or "responded with"; or a 4xx/5xx
 * right before or after its reason phrase ("404 Not Found",
 * "Not Found: 404"). Anything else with three digits is just a number.
 */
const STATUS_PATTERN = new RegExp(
  [
    String.raw`(?<=\bHTTP(?:\/\d(?:\.\d)?)?\s*[:=]?\s*|\bstatus(?:[ _]?code)?["']?\s*[:=]?\s*|\berror_code["']?\s*[:=]\s*|\bresponded with(?: status| HTTP)?\s+)[1-5]\d\d(?!\d)`,
    String.raw`(?<![\w.])[45]\d\d(?=\s*[:-]?\s*(?:${ERROR_REASON_PHRASES})\b)`,
    String.raw`(?<=\b(?:${ERROR_REASON_PHRASES})\s*[:(]?\s*)[45]\d\d(?!\d)`,
  ].join('|'),
  'gi',
);

/** The HTTP status codes of an error text, in order. */
export function findHttpStatuses(text: string): StatusInError[] {
  return Array.from(text.matchAll(STATUS_PATTERN), match => ({
    start: match.index ?? 0,
    status: Number(match[0]),
  }));
}
