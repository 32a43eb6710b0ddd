import type { FailureCause } from '@internal/plugin-workflows-common';
import { findHttpStatuses } from './errorSignatureStatus';
import { displayableUrl, findUrls } from './errorSignatureUrls';
import { Upstream, upstreamOf } from './failureCauseUpstream';

/** What a recogniser reads: the error and what was found in it once. */
interface ErrorFacts {
  /**
   * The error without its URLs, which recognisers read: no path or query
   * (where tokens live) is taken for a name, a status or a cause.
   */
  errorWithoutUrls: string;
  url: string | null;
  status: number | null;
  statuses: number[];
  upstream: Upstream | null;
  retryAfterSeconds: number | null;
}

type Recogniser = (facts: ErrorFacts) => FailureCause | undefined;

/**
 * An environment variable name: UPPER_SNAKE with at least one underscore
 * (so "HTTP", "CSV" or "JSON" are not taken for one), and not one of the
 * error codes written the same way (ERR_INVALID_URL, UND_ERR_SOCKET,
 * CSV_QUOTE_NOT_CLOSED).
 */
const ENV_NAME = String.raw`\b(?!(?:UND_)?ERR_|CSV_)[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b`;
const ENV_NAME_PATTERN = new RegExp(ENV_NAME, 'g');
const ENV_NAME_LIST = String.raw`${ENV_NAME}(?:\s*,\s*${ENV_NAME}|,? and ${ENV_NAME})*`;
const ENV_WORDS = String.raw`(?: (?:required )?(?:env(?:ironment)? )?var(?:iable)?s?| settings?)?`;

const MISSING_ENV_PATTERNS: ReadonlyArray<RegExp> = [
  // "missing DISCORD_WEBHOOK_URL", "is not configured: missing A, B"
  new RegExp(String.raw`\b[Mm]issing${ENV_WORDS}:? (${ENV_NAME_LIST})`),
  // "QSTASH_TOKEN is not set", "environment variable X is required"
  new RegExp(
    String.raw`(${ENV_NAME})${ENV_WORDS} (?:is|was|are) (?:not set|required|missing|not defined|undefined|empty)\b|(${ENV_NAME}) must be set\b`,
  ),
];

const INVALID_ENV_PATTERNS: ReadonlyArray<RegExp> = [
  // "DISCORD_WEBHOOK_URL is not a valid URL", "X is invalid"
  new RegExp(
    String.raw`(${ENV_NAME})${ENV_WORDS} (?:is|was) (?:invalid|not valid|not a valid)\b`,
  ),
  // "QSTASH_DEV must be true or false", "X must be an https URL"
  new RegExp(String.raw`(${ENV_NAME}) must (?:be|have|start|end|contain)\b`),
  // "invalid value for QSTASH_URL", "Invalid QSTASH_URL"
  new RegExp(String.raw`\b[Ii]nvalid (?:value (?:for|of|in) )?(${ENV_NAME})`),
];

/** WHATWG's "Invalid URL", which is about a setting when an env name goes with it. */
const INVALID_URL = /\bInvalid URL\b/i;

/**
 * QStash's signature check failing on a delivery. A social platform's
 * OAuth "invalid signature" is its own credentials, handled as its 401.
 */
const SIGNATURE_PATTERNS: ReadonlyArray<RegExp> = [
  /\bfailed to verify signature\b/i,
  /\binvalid signature\b/i,
  /\bsignature is invalid\b/i,
  /\bsignature\b.{0,80}\bexpired\b/i,
  /\bUpstash-Signature\b.{0,40}\bmissing\b|\bmissing\b.{0,40}\bUpstash-Signature\b/i,
  /\b401\b.{0,120}\bsignature\b/i,
  /\bSignatureError\b/,
];

const SIGNING_KEYS = ['QSTASH_CURRENT_SIGNING_KEY', 'QSTASH_NEXT_SIGNING_KEY'];

/** csv-parse's messages and codes, our CSV reader's, JSON.parse's, the ZIP reader's. */
const INVALID_DATA_PATTERNS: ReadonlyArray<RegExp> = [
  /\bInvalid Record Length\b/i,
  /\bCSV_[A-Z_]+\b/,
  /\bInvalid (?:Closing|Opening) Quote\b/i,
  /\bQuote Not Closed\b/i,
  /\.(?:csv|json) line \d+/i,
  /\.csv (?:has a header but no data rows|is empty)/i,
  /\bis not a readable ZIP file\b/i,
  /\.zip does not contain\b/i,
  /\bin JSON at position \d+/i,
  /\bUnexpected end of JSON input\b/i,
  /\bUnexpected token\b.{0,60}\bJSON\b/i,
  /\bis not valid JSON\b/i,
];

/** A file name of the data formats the workflows read. */
const DATA_FILE = /(?<![\w.-])[\w.()-]+\.(?:csv|json|zip)\b/i;

/** "line 57", "on line 1204", "(line 1 column 28)". */
const LINE_NUMBER = /\bline:? (\d+)\b/i;

const NON_RETRYABLE = /\bWorkflowNonRetryableError\b|\bnon-?retryable\b/i;

/** Upstash's status for a step that threw WorkflowNonRetryableError. */
const NON_RETRYABLE_STATUS = 489;

const TIMEOUT =
  /\btime[ds]? ?outs?\b|\bETIMEDOUT\b|\bAbortError\b|\bTimeoutError\b|\baborted due to timeout\b|\bUND_ERR_(?:CONNECT|HEADERS|BODY)_TIMEOUT\b|\bGateway Timeout\b/i;

const DUPLICATE_POST = /\bduplicate content\b/i;

/** 429's wait: Telegram's "retry_after":35 and "retry after 35", the Retry-After header. */
const RETRY_AFTER = /\bretry[_ -]after["']?\s*[:=]?\s*(\d+)\b/i;

function envNamesIn(text: string): string[] {
  return Array.from(text.matchAll(ENV_NAME_PATTERN), match => match[0]);
}

function firstCapture(pattern: RegExp, text: string): string | undefined {
  const match = pattern.exec(text);
  return match?.slice(1).find(group => group !== undefined);
}

/** A cause with every field present; the recogniser sets what it knows. */
function cause(
  facts: ErrorFacts,
  fields: Pick<FailureCause, 'kind' | 'summary' | 'fix'> &
    Partial<FailureCause>,
): FailureCause {
  return {
    status: null,
    envVar: null,
    file: null,
    line: null,
    url: facts.url,
    retryAfterSeconds: facts.retryAfterSeconds,
    ...fields,
  };
}

/** The fix for a failure that may lie with the source: there when its URL is known. */
function runOrSource(facts: ErrorFacts): FailureCause['fix'] {
  return facts.url ? 'source-url' : 'run';
}

/** "LTA DataMall", or the host, or a plain word when nothing names the upstream. */
function upstreamName(facts: ErrorFacts): string {
  return facts.upstream?.name ?? 'The upstream';
}

const recogniseSignature: Recogniser = facts => {
  if (facts.upstream?.isSocialPlatform) return undefined;
  if (
    !SIGNATURE_PATTERNS.some(pattern => pattern.test(facts.errorWithoutUrls))
  ) {
    return undefined;
  }
  const namedKey = SIGNING_KEYS.find(key =>
    facts.errorWithoutUrls.includes(key),
  );
  return cause(facts, {
    kind: 'signature',
    summary: `QStash signature check failed: check ${SIGNING_KEYS.join(
      ' and ',
    )}`,
    envVar: namedKey ?? null,
    fix: 'env-health',
  });
};

const recogniseMissingEnv: Recogniser = facts => {
  for (const pattern of MISSING_ENV_PATTERNS) {
    const found = firstCapture(pattern, facts.errorWithoutUrls);
    if (found) {
      const names = envNamesIn(found);
      return cause(facts, {
        kind: 'missing-env',
        summary:
          names.length === 1
            ? `Environment variable ${names[0]} is not set`
            : `Environment variables ${names.join(', ')} are not set`,
        envVar: names[0],
        fix: 'env-health',
      });
    }
  }
  return undefined;
};

const recogniseInvalidEnv: Recogniser = facts => {
  const text = facts.errorWithoutUrls;
  const envVar =
    INVALID_ENV_PATTERNS.map(pattern => firstCapture(pattern, text)).find(
      Boolean,
    ) ?? (INVALID_URL.test(text) ? envNamesIn(text)[0] : undefined);
  if (!envVar) return undefined;
  // Names only: the value can be a secret (a webhook URL is one).
  return cause(facts, {
    kind: 'invalid-env',
    summary: `Environment variable ${envVar} has an invalid value`,
    envVar,
    fix: 'env-health',
  });
};

function decodedPathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A stray "%" that is no escape: the segment as written.
    return segment;
  }
}

/** The data file named by the error, else the file the URL downloads. */
function dataFileOf(facts: ErrorFacts): string | null {
  const named = DATA_FILE.exec(facts.errorWithoutUrls)?.[0];
  if (named) return named;
  const lastSegment = facts.url?.split('/').pop();
  if (!lastSegment) return null;
  return DATA_FILE.exec(decodedPathSegment(lastSegment))?.[0] ?? null;
}

const recogniseInvalidData: Recogniser = facts => {
  if (
    !INVALID_DATA_PATTERNS.some(pattern => pattern.test(facts.errorWithoutUrls))
  ) {
    return undefined;
  }
  const file = dataFileOf(facts);
  const lineText = LINE_NUMBER.exec(facts.errorWithoutUrls)?.[1];
  const line = lineText === undefined ? null : Number(lineText);
  const where = [file, line === null ? null : `line ${line}`]
    .filter(Boolean)
    .join(', ');
  return cause(facts, {
    kind: 'invalid-data',
    summary: where ? `Unreadable data in ${where}` : 'Unreadable data',
    file,
    line,
    fix: runOrSource(facts),
  });
};

const recogniseNonRetryable: Recogniser = facts => {
  if (
    !NON_RETRYABLE.test(facts.errorWithoutUrls) &&
    !facts.statuses.includes(NON_RETRYABLE_STATUS)
  ) {
    return undefined;
  }
  return cause(facts, {
    kind: 'non-retryable',
    summary: 'The step gave up without retries (non-retryable error)',
    fix: 'run',
  });
};

const recogniseTimeout: Recogniser = facts => {
  if (!TIMEOUT.test(facts.errorWithoutUrls)) return undefined;
  return cause(facts, {
    kind: 'timeout',
    summary: facts.upstream
      ? `${facts.upstream.name} did not answer in time`
      : 'The request timed out',
    status: facts.status,
    fix: runOrSource(facts),
  });
};

const recogniseUpstreamStatus: Recogniser = facts => {
  const status = facts.statuses.find(code => code >= 400 && code <= 599);
  if (status === undefined) return undefined;
  const refusedCredentials =
    (status === 401 || status === 403) &&
    facts.upstream?.isSocialPlatform === true;
  const wait =
    facts.retryAfterSeconds === null
      ? ''
      : ` (retry after ${facts.retryAfterSeconds} s)`;
  // Twitter/X refuses a repeated text with a 403 too; credentials are not the
  // hint then, the earlier post went through.
  const hint = DUPLICATE_POST.test(facts.errorWithoutUrls)
    ? ': duplicate post'
    : ': check its credentials';
  return cause(facts, {
    kind: status < 500 ? 'upstream-4xx' : 'upstream-5xx',
    summary: `${upstreamName(facts)} answered HTTP ${status}${wait}${
      refusedCredentials ? hint : ''
    }`,
    status,
    // The platforms' credentials are env vars; other sources are fixed at the source.
    fix: refusedCredentials ? 'env-health' : runOrSource(facts),
  });
};

/** In this order; the first that recognises the error names its cause. */
const RECOGNISERS: ReadonlyArray<Recogniser> = [
  recogniseSignature,
  recogniseMissingEnv,
  recogniseInvalidEnv,
  recogniseInvalidData,
  recogniseNonRetryable,
  recogniseTimeout,
  recogniseUpstreamStatus,
];

function readFacts(error: string, step: string | null): ErrorFacts {
  const urls = findUrls(error);
  const firstUrl = urls.find(found => found.url !== null)?.url ?? null;
  let errorWithoutUrls = '';
  let from = 0;
  for (const { start, end } of urls) {
    errorWithoutUrls += `${error.slice(from, start)} `;
    from = end;
  }
  errorWithoutUrls += error.slice(from);
  const statuses = findHttpStatuses(errorWithoutUrls).map(
    found => found.status,
  );
  const retryAfter = RETRY_AFTER.exec(errorWithoutUrls)?.[1];
  return {
    errorWithoutUrls,
    url: firstUrl ? displayableUrl(firstUrl) : null,
    status: statuses[0] ?? null,
    statuses,
    upstream: upstreamOf(firstUrl?.hostname ?? null, errorWithoutUrls, step),
    retryAfterSeconds: retryAfter === undefined ? null : Number(retryAfter),
  };
}

/**
 * What probably made a run fail, read from its error text (and the failing
 * step's name, which can name the upstream). Summaries name upstreams, env
 * vars, files and statuses, never values, URL paths or queries.
 */
export function probableCause(input: {
  error: string;
  step?: string | null;
}): FailureCause {
  const facts = readFacts(input.error, input.step ?? null);
  for (const recognise of RECOGNISERS) {
    const recognised = recognise(facts);
    if (recognised) return recognised;
  }
  return cause(facts, {
    kind: 'unknown',
    summary: 'Unrecognised error',
    fix: 'run',
  });
}
