import { createHash } from 'node:crypto';
import { findHttpStatuses } from './errorSignatureStatus';
import { findUrls } from './errorSignatureUrls';

/** Longest signature kept: enough to tell failures apart, short enough to show. */
const MAX_SIGNATURE_LENGTH = 300;

/**
 * A mask already written by an earlier rule ("<url:host>", "<id>", ...).
 * Later rules step over it: a host such as "10.0.0.1" or "a1b2c3d4.example"
 * must not be masked a second time.
 */
const PLACEHOLDER = /<[^<>\s]*>/;
const WHOLE_PLACEHOLDER = new RegExp(`^${PLACEHOLDER.source}$`);

type MaskRule = (text: string) => string;

/** A rule that replaces what `pattern` matches, leaving earlier masks alone. */
function replaceOutsideMasks(
  pattern: RegExp,
  replace: (match: string, offset: number, text: string) => string,
): MaskRule {
  const combined = new RegExp(
    `${PLACEHOLDER.source}|${pattern.source}`,
    pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
  );
  return text =>
    text.replace(combined, (match: string, ...rest: unknown[]) => {
      if (WHOLE_PLACEHOLDER.test(match)) return match;
      // replace() passes the capture groups first, then the offset and the text.
      const offset = rest[rest.length - 2] as number;
      return replace(match, offset, text);
    });
}

const always = (replacement: string) => (): string => replacement;

/** Whether a long run of token characters is a key or an id rather than a name: it mixes digits and letters. */
function looksLikeToken(candidate: string): boolean {
  const hasDigit = /\d/.test(candidate);
  const hasLetter = /[A-Za-z]/.test(candidate);
  // UPPER_SNAKE names are env vars and error codes, which tell failures apart.
  const isUpperSnake = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(candidate);
  return hasDigit && hasLetter && !isUpperSnake;
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';

/** The masks, applied in this order; each one says why it exists. */
const MASK_RULES: ReadonlyArray<MaskRule> = [
  // URLs first, whole: their paths and queries can hold tokens (Telegram puts
  // the bot token in the path), and nothing of them may reach a later rule.
  // The host stays so that an LTA 404 and a Telegram 404 stay apart.
  text => {
    let masked = '';
    let from = 0;
    for (const { start, end, url } of findUrls(text)) {
      masked += `${text.slice(from, start)}${
        url ? `<url:${url.hostname}>` : '<url>'
      }`;
      from = end;
    }
    return masked + text.slice(from);
  },
  // JSON web tokens (the Upstash-Signature header is one): three dotted
  // parts, which the token rule below would take for file names.
  replaceOutsideMasks(
    /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
    always('<secret>'),
  ),
  // A Telegram bot token written outside a URL ("bot123456:AAH..."): a secret.
  replaceOutsideMasks(
    /\b(?:bot)?\d{5,}:[A-Za-z0-9_-]{30,}/g,
    always('<secret>'),
  ),
  // ISO dates and times: the day of a failure must not split its group.
  replaceOutsideMasks(
    /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
    always('<time>'),
  ),
  // HTTP dates (Date, Retry-After, Last-Modified headers).
  replaceOutsideMasks(
    new RegExp(
      `\\b${WEEKDAY}, \\d{1,2} ${MONTH} \\d{4} \\d{2}:\\d{2}:\\d{2} (?:GMT|UTC|[+-]\\d{4})`,
      'g',
    ),
    always('<time>'),
  ),
  // Dates as String(new Date()) writes them.
  replaceOutsideMasks(
    new RegExp(
      `\\b${WEEKDAY} ${MONTH} \\d{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT[+-]\\d{4}(?: \\([^)]*\\))?`,
      'g',
    ),
    always('<time>'),
  ),
  // Quoted values are data (a month, a column value, a reply text). JSON keys
  // ("status":, "error_code":) are not: they say what the number after means.
  replaceOutsideMasks(
    /"(?:[^"\\\n]|\\.)*"|(?<![A-Za-z0-9])'[^'\n]*'(?![A-Za-z0-9])|`[^`\n]*`/g,
    (quoted, offset, text) => {
      const isJsonKey =
        /^"[A-Za-z_][A-Za-z0-9_]*"$/.test(quoted) &&
        /^\s*:/.test(text.slice(offset + quoted.length));
      return isJsonKey ? quoted : '"<value>"';
    },
  ),
  // UUIDs: run, message and request ids.
  replaceOutsideMasks(
    /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
    always('<id>'),
  ),
  // QStash ids: workflow runs, messages, DLQ entries, schedules.
  replaceOutsideMasks(/\b(?:wfr|msg|dlq|scd)_[A-Za-z0-9_-]+/g, always('<id>')),
  // Hex ids and hashes (commit, checksum, trace ids). All-digit runs are left
  // to the number rule.
  replaceOutsideMasks(
    /\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi,
    always('<id>'),
  ),
  // Base64-ish tokens and opaque ids. A name followed by a file extension
  // ("M03-Car_Regsitration_by_Make.csv") is a file, which stays.
  replaceOutsideMasks(
    /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/_=-])(?!\.[A-Za-z])/g,
    token => (looksLikeToken(token) ? '<id>' : token),
  ),
  // Numbers (counts, line numbers, sizes, seconds) vary from run to run; HTTP
  // statuses do not and must not merge (a 404 is not a 500). A number glued to
  // a letter before it ("M03", "sha256") is part of a name.
  text => {
    const statusStarts = new Set(
      findHttpStatuses(text).map(found => found.start),
    );
    return replaceOutsideMasks(/(?<![A-Za-z0-9_])\d+(?:\.\d+)*/g, (n, offset) =>
      statusStarts.has(offset) && n.length === 3 ? n : '<n>',
    )(text);
  },
  // Line breaks and indentation differ between the places an error is logged.
  text => text.replace(/\s+/g, ' ').trim(),
  // Code points, not UTF-16 units, so a cut never splits a character.
  text => Array.from(text).slice(0, MAX_SIGNATURE_LENGTH).join(''),
];

/**
 * The error with its volatile parts masked, so the same failure on different
 * days and runs gives the same text: times, URLs (to their host), quoted
 * values, ids and numbers other than HTTP statuses.
 */
export function errorSignature(error: string): string {
  return MASK_RULES.reduce((text, rule) => rule(text), error);
}

/**
 * A stable id for the failures of one workflow at one step with one
 * signature. NUL cannot occur in the ids and names, so the parts cannot run
 * into each other; no step (a failure before any step) is the empty part.
 */
export function failureGroupId(
  workflowId: string,
  step: string | null,
  signature: string,
): string {
  return createHash('sha256')
    .update([workflowId, step ?? '', signature].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
}
