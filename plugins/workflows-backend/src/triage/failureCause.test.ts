import {
  FailureCause,
  failureCauseSchema,
} from '@internal/plugin-workflows-common';
import {
  FAILURE_EXAMPLES,
  TELEGRAM_BOT_TOKEN,
} from './errorSignature.examples';
import { probableCause } from './failureCause';

describe('probableCause of real errors', () => {
  it.each(FAILURE_EXAMPLES.map(example => [example.name, example] as const))(
    '%s',
    (_name, example) => {
      const [first, second] = example.errors;
      const firstCause = probableCause({ error: first, step: example.step });
      const secondCause = probableCause({ error: second, step: example.step });
      expect(firstCause).toEqual(example.cause);
      expect(secondCause).toEqual({ ...example.cause, ...example.secondCause });
      // Every field present, and of the shared shape.
      expect(failureCauseSchema.strict().parse(firstCause)).toEqual(firstCause);
    },
  );
});

function causeOf(error: string, step: string | null = null): FailureCause {
  return probableCause({ error, step });
}

describe('probableCause', () => {
  it.each([
    ['Missing Upstash-Signature header'],
    ['Upstash-Signature header is missing'],
    ['HTTP 401 from the runner: signature has expired'],
    ['invalid signature'],
  ])('recognises the QStash signature failure "%s"', error => {
    expect(causeOf(error)).toMatchObject({
      kind: 'signature',
      fix: 'env-health',
    });
  });

  it('does not take a platform OAuth signature for a QStash one', () => {
    expect(
      causeOf(
        'Twitter refused to post the tweet: HTTP 401: {"errors":[{"code":32,"message":"invalid signature"}]}',
      ),
    ).toMatchObject({ kind: 'upstream-4xx', status: 401, fix: 'env-health' });
  });

  it.each([
    ['QSTASH_TOKEN is not set', 'QSTASH_TOKEN'],
    [
      'environment variable LINKEDIN_CLIENT_ID is required',
      'LINKEDIN_CLIENT_ID',
    ],
    [
      'WorkflowNonRetryableError: Telegram is not configured: missing TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID',
      'TELEGRAM_BOT_TOKEN',
    ],
  ])('names the missing env var of "%s"', (error, envVar) => {
    expect(causeOf(error)).toMatchObject({
      kind: 'missing-env',
      envVar,
      fix: 'env-health',
    });
  });

  it.each([
    ['DISCORD_WEBHOOK_URL is not a valid URL', 'DISCORD_WEBHOOK_URL'],
    ['invalid value for QSTASH_URL', 'QSTASH_URL'],
    ['TypeError: Invalid URL (from QSTASH_URL)', 'QSTASH_URL'],
  ])('names the invalid env var of "%s"', (error, envVar) => {
    expect(causeOf(error)).toMatchObject({
      kind: 'invalid-env',
      envVar,
      fix: 'env-health',
    });
  });

  it('does not take an error code for an env var', () => {
    expect(causeOf('TypeError [ERR_INVALID_URL]: Invalid URL')).toMatchObject({
      kind: 'unknown',
      envVar: null,
    });
  });

  it.each([
    [
      'M03-Car_Regsitration_by_Make.csv line 12: Invalid Closing Quote: got "x" at line 12 instead of delimiter, record delimiter, trimable character (if activated) or comment',
      'M03-Car_Regsitration_by_Make.csv',
      12,
    ],
    [
      'CsvError: CSV_RECORD_INCONSISTENT_FIELDS_LENGTH in M11-COE_Results.csv',
      'M11-COE_Results.csv',
      null,
    ],
    [
      `Expected ',' or '}' after property value in JSON at position 27 (line 1 column 28) reading summary.json`,
      'summary.json',
      1,
    ],
    ['Unexpected token < in JSON at position 0', null, null],
  ])('reads the file and line of "%s"', (error, file, line) => {
    expect(causeOf(error)).toMatchObject({
      kind: 'invalid-data',
      file,
      line,
      fix: 'run',
    });
  });

  it('sends bad data that came from a URL to the source', () => {
    expect(
      causeOf(
        'The reply of https://datamall.lta.gov.sg/api/summary.json?key=abc could not be read: Unexpected end of JSON input',
      ),
    ).toMatchObject({
      kind: 'invalid-data',
      file: 'summary.json',
      url: 'https://datamall.lta.gov.sg/api/summary.json',
      fix: 'source-url',
    });
  });

  it('recognises a non-retryable step by Upstash status 489', () => {
    expect(
      causeOf('Step ingest-dataset answered HTTP 489: stop'),
    ).toMatchObject({ kind: 'non-retryable', status: null, fix: 'run' });
  });

  it.each([
    ['fetch failed (UND_ERR_CONNECT_TIMEOUT)', null],
    ['AbortError: This operation was aborted', null],
    ['QStash responded with 504 Gateway Timeout', 504],
  ])('recognises the timeout "%s"', (error, status) => {
    expect(causeOf(error)).toMatchObject({
      kind: 'timeout',
      status,
      fix: 'run',
    });
  });

  it.each([
    ['the source responded with 500', 500, 'upstream-5xx'],
    ['QStash answered status 429, Retry-After: 12', 429, 'upstream-4xx'],
    ['upstream said 404 Not Found', 404, 'upstream-4xx'],
  ])('reads the HTTP status of "%s"', (error, status, kind) => {
    expect(causeOf(error)).toMatchObject({ kind, status });
  });

  it('reads the Retry-After header', () => {
    expect(
      causeOf('QStash answered status 429, Retry-After: 12'),
    ).toMatchObject({
      summary: 'QStash answered HTTP 429 (retry after 12 s)',
      retryAfterSeconds: 12,
      fix: 'run',
    });
  });

  it('names an unknown upstream by its host', () => {
    expect(
      causeOf(
        'The download of https://data.gov.sg/api/x.zip?page=2 failed: HTTP 502 Bad Gateway',
      ),
    ).toMatchObject({
      kind: 'upstream-5xx',
      summary: 'data.gov.sg answered HTTP 502',
      url: 'https://data.gov.sg/api/x.zip',
      fix: 'source-url',
    });
  });

  it('names the upstream by the step when the error does not', () => {
    expect(causeOf('refused: HTTP 403', 'publish-linkedin')).toMatchObject({
      kind: 'upstream-4xx',
      summary: 'LinkedIn answered HTTP 403: check its credentials',
      fix: 'env-health',
    });
  });

  it('calls anything else unrecognised', () => {
    expect(causeOf('Cannot read properties of undefined')).toEqual({
      kind: 'unknown',
      summary: 'Unrecognised error',
      status: null,
      envVar: null,
      file: null,
      line: null,
      url: null,
      retryAfterSeconds: null,
      fix: 'run',
    });
  });
});

describe('probableCause and secrets', () => {
  const [botId, botSecret] = TELEGRAM_BOT_TOKEN.split(':');

  it('keeps no part of a Telegram bot token', () => {
    const found = causeOf(
      `Telegram refused to send the message: HTTP 404 from https://api.telegram.org/bot${TELEGRAM_BOT_TOKEN}/sendMessage?chat_id=-1001234567890: {"ok":false,"error_code":404,"description":"Not Found"}`,
    );
    expect(found).toMatchObject({
      kind: 'upstream-4xx',
      status: 404,
      url: 'https://api.telegram.org',
    });
    const shown = JSON.stringify(found);
    expect(shown).not.toContain(botSecret);
    expect(shown).not.toContain(botId);
    expect(shown).not.toContain('sendMessage');
  });

  it('keeps no Discord webhook token', () => {
    const found = causeOf(
      'Discord refused to post the message: HTTP 500 from https://discord.com/api/webhooks/1234567890/Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe',
    );
    expect(found.url).toBe('https://discord.com');
    expect(JSON.stringify(found)).not.toContain('Zx9Yw8Vu7Ts6');
  });

  it('keeps no query string, user info or env value', () => {
    const found = causeOf(
      'The download of https://user:hunter2@datamall.lta.gov.sg/a.zip?AccountKey=s3cr3tKey failed: HTTP 401 Unauthorized',
    );
    expect(found.url).toBe('https://datamall.lta.gov.sg/a.zip');
    const shown = JSON.stringify(found);
    expect(shown).not.toContain('s3cr3tKey');
    expect(shown).not.toContain('hunter2');

    const invalid = causeOf(
      'DISCORD_WEBHOOK_URL must be an https URL, got "http://discord.com/api/webhooks/1/tok3nValue"',
    );
    expect(invalid).toMatchObject({
      kind: 'invalid-env',
      envVar: 'DISCORD_WEBHOOK_URL',
    });
    expect(JSON.stringify(invalid)).not.toContain('tok3nValue');
  });
});
