import { errorSignature, failureGroupId } from './errorSignature';
import {
  FAILURE_EXAMPLES,
  LTA_ZIP_URL,
  TELEGRAM_BOT_TOKEN,
} from './errorSignature.examples';

function groupOf(example: (typeof FAILURE_EXAMPLES)[number], index: 0 | 1) {
  return failureGroupId(
    example.workflowId,
    example.step,
    errorSignature(example.errors[index]),
  );
}

function exampleNamed(name: string) {
  const example = FAILURE_EXAMPLES.find(candidate => candidate.name === name);
  if (!example) throw new Error(`no example named ${name}`);
  return example;
}

describe('errorSignature', () => {
  it.each([
    [
      'ISO timestamps',
      'failed at 2026-11-30T10:00:00.000Z after 2026-11-29T23:59:59+08:00',
      'failed at <time> after <time>',
    ],
    ['ISO dates', 'no data for 2026-11-30', 'no data for <time>'],
    [
      'HTTP dates',
      'closed (Date: Tue, 01 Dec 2026 10:00:00 GMT)',
      'closed (Date: <time>)',
    ],
    [
      'URLs, down to their host',
      `The download of ${LTA_ZIP_URL}?ts=9 failed`,
      'The download of <url:datamall.lta.gov.sg> failed',
    ],
    [
      'quoted values of every quote',
      `column "month": "2024-13" is not 'valid', got \`x\``,
      'column "month": "<value>" is not "<value>", got "<value>"',
    ],
    [
      'UUIDs',
      'request 5f0c2a9e-8b1d-4c3e-9a7f-2d6b1e4c8a90 failed',
      'request <id> failed',
    ],
    ['hex ids', 'checksum 9f86d081884c7d65 changed', 'checksum <id> changed'],
    [
      'QStash ids',
      'run wfr_26hZCxZCuW of msg_7YoJxF, dlq_1a2b, scd_9z',
      'run <id> of <id>, <id>, <id>',
    ],
    [
      'base64-ish tokens',
      'token dGhpcyBpcyBhIHRva2VuMTIz== refused',
      'token <id> refused',
    ],
    [
      'numbers',
      'expect 7, got 6 on line 1204 after 1.5 s',
      'expect <n>, got <n> on line <n> after <n> s',
    ],
    [
      'whitespace',
      '  Discord refused\n\tto post  \r\n the message ',
      'Discord refused to post the message',
    ],
  ])('masks %s', (_kind, error, signature) => {
    expect(errorSignature(error)).toBe(signature);
  });

  it.each([
    ['after HTTP', 'failed: HTTP 404 Not Found', 'failed: HTTP 404 Not Found'],
    ['after HTTP/1.1', 'HTTP/1.1 502 Bad Gateway', 'HTTP/<n> 502 Bad Gateway'],
    ['after "status"', 'answered with status 429', 'answered with status 429'],
    ['after "status code"', 'status code 500 again', 'status code 500 again'],
    [
      'as JSON status and error_code',
      '{"status":401,"error_code":429,"serviceErrorCode":65600}',
      '{"status":401,"error_code":429,"serviceErrorCode":<n>}',
    ],
    [
      'before a reason phrase',
      'upstream said 503 Service Unavailable',
      'upstream said 503 Service Unavailable',
    ],
    [
      'after a reason phrase',
      'Too Many Requests: 429, retry after 35',
      'Too Many Requests: 429, retry after <n>',
    ],
  ])('keeps HTTP statuses %s', (_where, error, signature) => {
    expect(errorSignature(error)).toBe(signature);
  });

  it('masks three digits that are no status', () => {
    expect(errorSignature('expected 404 rows, got 500')).toBe(
      'expected <n> rows, got <n>',
    );
  });

  it('keeps names that contain digits, env var names and error codes', () => {
    expect(
      errorSignature(
        'M03-Car_Regsitration_by_Make.csv: CSV_RECORD_INCONSISTENT_FIELDS_LENGTH, see S3_BUCKET_2024',
      ),
    ).toBe(
      'M03-Car_Regsitration_by_Make.csv: CSV_RECORD_INCONSISTENT_FIELDS_LENGTH, see S3_BUCKET_2024',
    );
  });

  it('keeps the same failure of two upstreams apart by their host', () => {
    const notFoundAt = (url: string) =>
      errorSignature(`request to ${url} failed: HTTP 404 Not Found`);
    expect(notFoundAt(LTA_ZIP_URL)).not.toBe(
      notFoundAt(
        `https://api.telegram.org/bot${TELEGRAM_BOT_TOKEN}/sendMessage`,
      ),
    );
  });

  it('does not mask a host a second time', () => {
    expect(errorSignature('connect to http://10.0.0.12:8080/health')).toBe(
      'connect to <url:10.0.0.12>',
    );
  });

  it('caps the signature at 300 characters', () => {
    const signature = errorSignature(`Boom: ${'word '.repeat(200)}`);
    expect(signature).toHaveLength(300);
    expect(signature.startsWith('Boom: word word')).toBe(true);
  });

  it('keeps no part of a Telegram bot token, in a URL or written alone', () => {
    const inUrl = errorSignature(
      `Telegram: could not send the message: request to https://api.telegram.org/bot${TELEGRAM_BOT_TOKEN}/sendMessage?chat_id=-1001234567890 failed, reason: socket hang up`,
    );
    expect(inUrl).toBe(
      'Telegram: could not send the message: request to <url:api.telegram.org> failed, reason: socket hang up',
    );
    const alone = errorSignature(
      `Telegram rejected bot${TELEGRAM_BOT_TOKEN} (HTTP 401)`,
    );
    expect(alone).toBe('Telegram rejected <secret> (HTTP 401)');
    const [botId, secret] = TELEGRAM_BOT_TOKEN.split(':');
    for (const signature of [inUrl, alone]) {
      expect(signature).not.toContain(secret);
      expect(signature).not.toContain(botId);
    }
  });
});

describe('failure groups of real errors', () => {
  it.each(FAILURE_EXAMPLES.map(example => [example.name, example] as const))(
    '%s: both texts give one signature and one group',
    (_name, example) => {
      const [first, second] = example.errors;
      expect(first).not.toBe(second);
      expect(errorSignature(second)).toBe(errorSignature(first));
      expect(groupOf(example, 1)).toBe(groupOf(example, 0));
    },
  );

  it('gives every different failure a group of its own', () => {
    const groups = new Set(
      FAILURE_EXAMPLES.map(example => groupOf(example, 0)),
    );
    expect(groups.size).toBe(FAILURE_EXAMPLES.length);
  });

  it.each([
    ['LTA answers 404 for the ZIP', 'LTA answers 503'],
    ['Telegram answers 429 with retry_after', 'Discord answers 500'],
    ['Discord without its webhook', 'Twitter without three of its keys'],
  ])('keeps "%s" and "%s" apart', (a, b) => {
    expect(groupOf(exampleNamed(a), 0)).not.toBe(groupOf(exampleNamed(b), 0));
    expect(errorSignature(exampleNamed(a).errors[0])).not.toBe(
      errorSignature(exampleNamed(b).errors[0]),
    );
  });

  it('keeps two missing env vars of one workflow and step apart', () => {
    const signatureOf = (name: string) =>
      errorSignature(`Telegram is not configured: missing ${name}`);
    expect(
      failureGroupId(
        'sgcarstrends-social',
        'publish-telegram',
        signatureOf('TELEGRAM_BOT_TOKEN'),
      ),
    ).not.toBe(
      failureGroupId(
        'sgcarstrends-social',
        'publish-telegram',
        signatureOf('TELEGRAM_CHAT_ID'),
      ),
    );
  });
});

describe('failureGroupId', () => {
  it('is 16 hex characters, the same for the same failure', () => {
    const id = failureGroupId('sgcarstrends-cars', 'ingest-dataset', 'boom');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(failureGroupId('sgcarstrends-cars', 'ingest-dataset', 'boom')).toBe(
      id,
    );
  });

  it('tells workflows, steps and signatures apart', () => {
    const ids = [
      failureGroupId('sgcarstrends-cars', 'ingest-dataset', 'boom'),
      failureGroupId('sgcarstrends-coe', 'ingest-dataset', 'boom'),
      failureGroupId('sgcarstrends-cars', null, 'boom'),
      failureGroupId('sgcarstrends-cars', 'ingest-dataset', 'bang'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not let one part run into the next', () => {
    expect(failureGroupId('ab', 'c', 'd')).not.toBe(
      failureGroupId('a', 'bc', 'd'),
    );
    expect(failureGroupId('a', 'b', 'cd')).not.toBe(
      failureGroupId('a', 'bc', 'd'),
    );
  });
});
