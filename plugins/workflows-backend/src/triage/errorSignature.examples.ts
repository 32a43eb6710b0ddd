import type { FailureCause } from '@internal/plugin-workflows-common';

/**
 * Real-looking failures of the portal's workflows, each written twice as it
 * comes back on another day or run: other times, ids, counts, waits and line
 * numbers. Both texts of an example are one failure and must group together;
 * different examples are different failures and must not.
 */
export interface FailureExample {
  name: string;
  workflowId: string;
  step: string | null;
  errors: [string, string];
  /** The probable cause of the first text. */
  cause: FailureCause;
  /** Where the cause of the second text differs (data read from the text). */
  secondCause?: Partial<FailureCause>;
}

export const LTA_ZIP_URL =
  'https://datamall.lta.gov.sg/content/dam/datamall/datasets/Facts_Figures/Vehicle Registration/M03-Car_Regsitration_by_Make.zip';
/** How the URL reads once parsed: the space encoded, nothing else changed. */
const LTA_ZIP_URL_PARSED =
  'https://datamall.lta.gov.sg/content/dam/datamall/datasets/Facts_Figures/Vehicle%20Registration/M03-Car_Regsitration_by_Make.zip';

/** A bot token in Telegram's format (made up): the secret of TELEGRAM_BOT_TOKEN. */
export const TELEGRAM_BOT_TOKEN =
  '7302114856:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

const noData = {
  status: null,
  envVar: null,
  file: null,
  line: null,
  url: null,
  retryAfterSeconds: null,
};

export const FAILURE_EXAMPLES: ReadonlyArray<FailureExample> = [
  {
    name: 'LTA answers 404 for the ZIP',
    workflowId: 'sgcarstrends-cars',
    step: 'ingest-dataset',
    errors: [
      `The download of ${LTA_ZIP_URL} failed: HTTP 404 Not Found (at 2026-11-30T10:00:00.000Z)`,
      `The download of ${LTA_ZIP_URL}?cb=1764561600 failed: HTTP 404 Not Found (at 2026-12-01T02:15:09.123Z)`,
    ],
    cause: {
      ...noData,
      kind: 'upstream-4xx',
      summary: 'LTA DataMall answered HTTP 404',
      status: 404,
      url: LTA_ZIP_URL_PARSED,
      fix: 'source-url',
    },
  },
  {
    name: 'LTA answers 503',
    workflowId: 'sgcarstrends-cars',
    step: 'ingest-dataset',
    errors: [
      `The download of ${LTA_ZIP_URL} failed: HTTP 503 Service Unavailable (Date: Mon, 30 Nov 2026 10:00:00 GMT)`,
      `The download of ${LTA_ZIP_URL} failed: HTTP 503 Service Unavailable (Date: Tue, 01 Dec 2026 23:59:59 GMT)`,
    ],
    cause: {
      ...noData,
      kind: 'upstream-5xx',
      summary: 'LTA DataMall answered HTTP 503',
      status: 503,
      url: LTA_ZIP_URL_PARSED,
      fix: 'source-url',
    },
  },
  {
    name: 'the LTA download times out',
    workflowId: 'sgcarstrends-coe',
    step: 'ingest-dataset',
    errors: [
      `The download of ${LTA_ZIP_URL} failed: TimeoutError: The operation was aborted due to timeout (after 30000 ms)`,
      `The download of ${LTA_ZIP_URL} failed: TimeoutError: The operation was aborted due to timeout (after 45000 ms)`,
    ],
    cause: {
      ...noData,
      kind: 'timeout',
      summary: 'LTA DataMall did not answer in time',
      url: LTA_ZIP_URL_PARSED,
      fix: 'source-url',
    },
  },
  {
    name: 'Telegram answers 429 with retry_after',
    workflowId: 'sgcarstrends-social',
    step: 'publish-telegram',
    errors: [
      'Telegram refused to send the message: HTTP 429: {"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}',
      'Telegram refused to send the message: HTTP 429: {"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}',
    ],
    cause: {
      ...noData,
      kind: 'upstream-4xx',
      summary: 'Telegram answered HTTP 429 (retry after 35 s)',
      status: 429,
      retryAfterSeconds: 35,
      fix: 'run',
    },
    secondCause: {
      summary: 'Telegram answered HTTP 429 (retry after 7 s)',
      retryAfterSeconds: 7,
    },
  },
  {
    name: 'LinkedIn refuses the access token',
    workflowId: 'sgcarstrends-social',
    step: 'publish-linkedin',
    errors: [
      'LinkedIn refused to create the organisation post: HTTP 401: {"status":401,"serviceErrorCode":65600,"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token"} (request 0b7d4e21-93aa-4f10-b6c2-7e5f8d9a1c34)',
      'LinkedIn refused to create the organisation post: HTTP 401: {"status":401,"serviceErrorCode":65601,"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token"} (request 5f0c2a9e-8b1d-4c3e-9a7f-2d6b1e4c8a90)',
    ],
    cause: {
      ...noData,
      kind: 'upstream-4xx',
      summary: 'LinkedIn answered HTTP 401: check its credentials',
      status: 401,
      fix: 'env-health',
    },
  },
  {
    name: 'a CSV record of the wrong length',
    workflowId: 'sgcarstrends-cars',
    step: 'ingest-dataset',
    errors: [
      'M03-Car_Regsitration_by_Make.csv line 1204: Invalid Record Length: expect 7, got 6 on line 1204',
      'M03-Car_Regsitration_by_Make.csv line 88: Invalid Record Length: expect 7, got 5 on line 88',
    ],
    cause: {
      ...noData,
      kind: 'invalid-data',
      summary: 'Unreadable data in M03-Car_Regsitration_by_Make.csv, line 1204',
      file: 'M03-Car_Regsitration_by_Make.csv',
      line: 1204,
      fix: 'run',
    },
    secondCause: {
      summary: 'Unreadable data in M03-Car_Regsitration_by_Make.csv, line 88',
      line: 88,
    },
  },
  {
    name: 'a month that is not a month',
    workflowId: 'sgcarstrends-cars',
    step: 'ingest-dataset',
    errors: [
      'WorkflowNonRetryableError: M03-Car_Regsitration_by_Make.csv line 57, column "month": "2024-13" is not a month in the form YYYY-MM',
      'WorkflowNonRetryableError: M03-Car_Regsitration_by_Make.csv line 912, column "month": "2025-00" is not a month in the form YYYY-MM',
    ],
    cause: {
      ...noData,
      kind: 'invalid-data',
      summary: 'Unreadable data in M03-Car_Regsitration_by_Make.csv, line 57',
      file: 'M03-Car_Regsitration_by_Make.csv',
      line: 57,
      fix: 'run',
    },
    secondCause: {
      summary: 'Unreadable data in M03-Car_Regsitration_by_Make.csv, line 912',
      line: 912,
    },
  },
  {
    name: 'Discord without its webhook',
    workflowId: 'sgcarstrends-social',
    step: 'publish-discord',
    errors: [
      '[2026-11-30T10:00:00.000Z] Discord is not configured: missing DISCORD_WEBHOOK_URL',
      '[2026-12-07T10:00:03.518Z] Discord is not configured: missing DISCORD_WEBHOOK_URL',
    ],
    cause: {
      ...noData,
      kind: 'missing-env',
      summary: 'Environment variable DISCORD_WEBHOOK_URL is not set',
      envVar: 'DISCORD_WEBHOOK_URL',
      fix: 'env-health',
    },
  },
  {
    name: 'Twitter without three of its keys',
    workflowId: 'sgcarstrends-social',
    step: 'publish-twitter',
    errors: [
      '[2026-11-30T10:00:00.000Z] Twitter is not configured: missing TWITTER_APP_SECRET, TWITTER_ACCESS_TOKEN, TWITTER_ACCESS_SECRET',
      '[2026-12-01T10:00:00.000Z] Twitter is not configured: missing TWITTER_APP_SECRET, TWITTER_ACCESS_TOKEN, TWITTER_ACCESS_SECRET',
    ],
    cause: {
      ...noData,
      kind: 'missing-env',
      summary:
        'Environment variables TWITTER_APP_SECRET, TWITTER_ACCESS_TOKEN, TWITTER_ACCESS_SECRET are not set',
      envVar: 'TWITTER_APP_SECRET',
      fix: 'env-health',
    },
  },
  {
    name: 'a QStash delivery with a bad signature',
    workflowId: 'sgcarstrends-cars',
    step: null,
    errors: [
      'SignatureError: Failed to verify signature of message msg_26hZCxZCuWyyTWPmSVBrNB882AMRP1TsgzpygELRcLWep4ACNTTsCHhrZuaNLfz: signature is invalid',
      'SignatureError: Failed to verify signature of message msg_7YoJxFpwkEy5zBp378JgvD6YBDPBEaSq5Kpp2tZ6HVJUq6W9uw7BsQfhhsMZfN9: signature is invalid',
    ],
    cause: {
      ...noData,
      kind: 'signature',
      summary:
        'QStash signature check failed: check QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY',
      fix: 'env-health',
    },
  },
  {
    name: 'a runner without its settings',
    workflowId: 'sgcarstrends-coe',
    step: null,
    errors: [
      'WorkflowNonRetryableError: settings are missing: sourceUrl (run wfr_7YoJxFpwkEy5zBp378JgvD6YBD)',
      'WorkflowNonRetryableError: settings are missing: sourceUrl (run wfr_26hZCxZCuWyyTWPmSVBrNB882A)',
    ],
    cause: {
      ...noData,
      kind: 'non-retryable',
      summary: 'The step gave up without retries (non-retryable error)',
      fix: 'run',
    },
  },
  {
    name: 'Discord answers 500',
    workflowId: 'sgcarstrends-social',
    step: 'publish-discord',
    errors: [
      'Discord refused to post the message: HTTP 500: {"message": "500: Internal Server Error", "code": 0} (attempt 1 of 3)',
      'Discord refused to post the message: HTTP 500: {"message": "500: Internal Server Error", "code": 0} (attempt 3 of 3)',
    ],
    cause: {
      ...noData,
      kind: 'upstream-5xx',
      summary: 'Discord answered HTTP 500',
      status: 500,
      fix: 'run',
    },
  },
  {
    name: 'Twitter refuses a duplicate tweet',
    workflowId: 'sgcarstrends-social',
    step: 'publish-twitter',
    errors: [
      'A tweet with exactly this text already exists on the account, so an earlier attempt went through; mark the post as posted (Twitter refused to post the tweet: HTTP 403): {"detail":"You are not allowed to create a Tweet with duplicate content.","status":403} at 2026-11-30T10:00:01Z',
      'A tweet with exactly this text already exists on the account, so an earlier attempt went through; mark the post as posted (Twitter refused to post the tweet: HTTP 403): {"detail":"You are not allowed to create a Tweet with duplicate content.","status":403} at 2026-12-31T10:00:09Z',
    ],
    cause: {
      ...noData,
      kind: 'upstream-4xx',
      summary: 'Twitter/X answered HTTP 403: duplicate post',
      status: 403,
      fix: 'env-health',
    },
  },
  {
    name: 'an HTML page where JSON was expected',
    workflowId: 'sgcarstrends-coe',
    step: 'fetch-summary',
    errors: [
      `SyntaxError: Unexpected token '<', "<!DOCTYPE "... is not valid JSON`,
      `SyntaxError: Unexpected token '<', "<html><hea"... is not valid JSON`,
    ],
    cause: {
      ...noData,
      kind: 'invalid-data',
      summary: 'Unreadable data',
      fix: 'run',
    },
  },
  {
    name: 'a connection reset while posting',
    workflowId: 'sgcarstrends-social',
    step: 'publish-discord',
    errors: [
      'Discord: could not post the message: fetch failed (ECONNRESET) (the request may have reached Discord) after 1532 ms',
      'Discord: could not post the message: fetch failed (ECONNRESET) (the request may have reached Discord) after 87 ms',
    ],
    cause: {
      ...noData,
      kind: 'unknown',
      summary: 'Unrecognised error',
      fix: 'run',
    },
  },
  {
    name: 'QSTASH_DEV with a value it does not take',
    workflowId: 'sgcarstrends-cars',
    step: null,
    errors: [
      'QSTASH_DEV must be "true" or "false", got "yes"',
      'QSTASH_DEV must be "true" or "false", got "1"',
    ],
    cause: {
      ...noData,
      kind: 'invalid-env',
      summary: 'Environment variable QSTASH_DEV has an invalid value',
      envVar: 'QSTASH_DEV',
      fix: 'env-health',
    },
  },
  {
    name: 'a cut-off JSON reply',
    workflowId: 'sgcarstrends-coe',
    step: 'fetch-summary',
    errors: [
      'SyntaxError: Unexpected end of JSON input (reply of 8192 bytes)',
      'SyntaxError: Unexpected end of JSON input (reply of 16384 bytes)',
    ],
    cause: {
      ...noData,
      kind: 'invalid-data',
      summary: 'Unreadable data',
      fix: 'run',
    },
  },
];
