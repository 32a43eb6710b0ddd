import { ApiClient, apiClient } from './__testUtils__/apiClient';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { waitFor } from './__testUtils__/waitFor';
import { QStashLocal, startQStashLocal } from './index';

interface BadRequest {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path; `{endpoint}` becomes the recording endpoint's URL. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  auth?: boolean;
  status: number;
  /** The error must name the offending field, header or id. */
  error: RegExp;
}

/** A POST whose headers hold one bad setting, answered 400. */
type HeaderCase = [
  name: string,
  headers: Record<string, string>,
  error: RegExp,
];

/** A request that is only `"METHOD /path"`. */
type RequestCase = [
  name: string,
  request: `${BadRequest['method']} ${string}`,
  error: RegExp,
];

/** Requests with more to them than a method and a path. */
const SPECIAL_CASES: BadRequest[] = [
  {
    name: 'no credentials',
    method: 'GET',
    path: '/v2/schedules',
    auth: false,
    status: 401,
    error: /Authorization: Bearer/,
  },
  {
    name: 'wrong token',
    method: 'GET',
    path: '/v2/schedules',
    headers: { authorization: 'Bearer wrong' },
    status: 401,
    error: /invalid token/,
  },
  {
    name: 'batch that is not JSON',
    method: 'POST',
    path: '/v2/batch',
    body: 'hello',
    status: 400,
    error: /JSON array/,
  },
  {
    name: 'batch entry without destination',
    method: 'POST',
    path: '/v2/batch',
    body: '[{"body":"x"}]',
    status: 400,
    error: /batch\[0\]\.destination/,
  },
  {
    name: 'batch with one bad entry',
    method: 'POST',
    path: '/v2/batch',
    body: JSON.stringify([
      { destination: '{endpoint}/ok' },
      { destination: '{endpoint}/x', headers: { 'Upstash-Delay': 'never' } },
    ]),
    status: 400,
    error: /batch\[1\].*Upstash-Delay/,
  },
  {
    name: 'bad trigger run id',
    method: 'POST',
    path: '/v2/trigger/{endpoint}/wf',
    headers: { 'upstash-workflow-runid': 'wfr bad' },
    status: 400,
    error: /Upstash-Workflow-RunId/,
  },
  {
    name: 'step for a run that does not exist',
    method: 'POST',
    path: '/v2/publish/{endpoint}/wf',
    headers: {
      'upstash-workflow-runid': 'wfr_nothing',
      'upstash-workflow-init': 'false',
    },
    status: 400,
    error: /wfr_nothing is not running/,
  },
];

/** Publish requests whose one bad `Upstash-*` setting must be named: 400. */
const PUBLISH_HEADER_CASES: HeaderCase[] = [
  ['bad Upstash-Delay', { 'upstash-delay': 'soon' }, /Upstash-Delay/],
  ['negative Upstash-Retries', { 'upstash-retries': '-1' }, /Upstash-Retries/],
  [
    'too many Upstash-Retries',
    { 'upstash-retries': '1000' },
    /Upstash-Retries.*at most 100/,
  ],
  ['unknown Upstash-Method', { 'upstash-method': 'FETCH' }, /Upstash-Method/],
  [
    'label with spaces',
    { 'upstash-label': 'ok,not ok' },
    /Upstash-Label.*"not ok"/,
  ],
  [
    'callback is not http',
    { 'upstash-callback': 'ftp://example.com' },
    /Upstash-Callback/,
  ],
  [
    'retry delay that is code',
    { 'upstash-retry-delay': 'process.exit(1)' },
    /Upstash-Retry-Delay/,
  ],
  [
    'not-before that is not a number',
    { 'upstash-not-before': 'tomorrow' },
    /Upstash-Not-Before/,
  ],
  [
    'flow control key without value',
    { 'upstash-flow-control-key': 'k' },
    /Upstash-Flow-Control-Value/,
  ],
  ['bad Upstash-Timeout', { 'upstash-timeout': 'long' }, /Upstash-Timeout/],
  [
    'queue name',
    { 'upstash-queue-name': 'q' },
    /Upstash-Queue-Name.*not supported/,
  ],
  [
    'bad failure-callback settings',
    {
      'upstash-failure-callback': '{endpoint}/f',
      'upstash-failure-callback-retries': 'many',
    },
    /Upstash-Failure-Callback settings.*Upstash-Retries/,
  ],
];

/** Schedule requests with a missing or bad setting: 400. */
const SCHEDULE_HEADER_CASES: HeaderCase[] = [
  ['schedule without cron', {}, /Upstash-Cron/],
  [
    'schedule with seconds field',
    { 'upstash-cron': '*/10 * * * * *' },
    /Upstash-Cron.*6 fields/,
  ],
  [
    'schedule with bad cron field',
    { 'upstash-cron': '61 * * * *' },
    /Upstash-Cron.*minute/,
  ],
  [
    'schedule with unknown time zone',
    { 'upstash-cron': 'CRON_TZ=Mars/Olympus 0 9 * * *' },
    /CRON_TZ/,
  ],
  [
    'schedule id with slash-free junk',
    { 'upstash-cron': '* * * * *', 'upstash-schedule-id': 'a b' },
    /Upstash-Schedule-Id/,
  ],
];

/** Method and path alone are wrong: 400. */
const REJECTED_REQUEST_CASES: RequestCase[] = [
  [
    'destination is not a URL',
    'POST /v2/publish/my-topic',
    /destination "my-topic"/,
  ],
  ['message id with bad characters', 'GET /v2/messages/msg%20one', /messageId/],
  ['empty message id', 'DELETE /v2/messages/', /missing messageId/],
  ['empty dlq id', 'DELETE /v2/dlq/', /missing dlqId/],
  ['empty dlq id to retry', 'POST /v2/dlq/retry/', /missing dlqId/],
  ['empty schedule id', 'DELETE /v2/schedules/', /missing scheduleId/],
  ['empty run id', 'DELETE /v2/workflows/runs/', /missing workflowRunId/],
  ['empty workflow dlq id', 'POST /v2/workflows/dlq/resume/', /missing dlqId/],
  ['log count out of range', 'GET /v2/logs?count=0', /query parameter count/],
  ['unknown log state', 'GET /v2/logs?state=LOST', /query parameter state/],
  [
    'cursor from elsewhere',
    'GET /v2/events?cursor=abc',
    /query parameter cursor/,
  ],
  [
    'date that is not a timestamp',
    'GET /v2/dlq?fromDate=yesterday',
    /query parameter fromDate/,
  ],
  [
    'label filter with bad characters',
    'GET /v2/logs?label=a%20b',
    /query parameter label/,
  ],
  [
    'too many runs per page',
    'GET /v2/workflows/logs?count=50',
    /query parameter count/,
  ],
  ['events without groupBy', 'GET /v2/workflows/events', /groupBy/],
];

/** Method and path alone name something that does not exist: 404. */
const NOT_FOUND_CASES: RequestCase[] = [
  ['unknown message', 'GET /v2/messages/msg_unknown', /msg_unknown/],
  ['unknown schedule', 'DELETE /v2/schedules/scd_unknown', /scd_unknown/],
  [
    'pause unknown schedule',
    'PATCH /v2/schedules/scd_unknown/pause',
    /scd_unknown/,
  ],
  ['unknown dead letter', 'POST /v2/dlq/retry/dlq_unknown', /dlq_unknown/],
  [
    'cancel unknown run',
    'DELETE /v2/workflows/runs/wfr_unknown',
    /wfr_unknown/,
  ],
  [
    'resume unknown dead letter',
    'POST /v2/workflows/dlq/resume/dlq_unknown',
    /dlq_unknown/,
  ],
  [
    'retry failure callback of unknown dead letter',
    'POST /v2/workflows/dlq/callback/dlq_unknown',
    /dlq_unknown/,
  ],
  [
    'bulk retry of unknown dead letters only',
    'POST /v2/dlq/retry?dlqIds=dlq_unknown,dlq_other',
    /none of the given DLQ messages/,
  ],
  [
    'bulk resume of an unknown workflow dead letter',
    'POST /v2/workflows/dlq/resume?dlqIds=dlq_unknown',
    /none of the given workflow DLQ messages/,
  ],
  ['unknown endpoint', 'GET /v2/nothing-here', /no such endpoint/],
];

/** Endpoints of the official API that this server does not implement: 501. */
const NOT_SUPPORTED_CASES: RequestCase[] = [
  [
    'enqueue',
    'POST /v2/enqueue/orders/https://example.com',
    /^queues are not supported by qstash-local$/,
  ],
  ['queue list', 'GET /v2/queues', /^queues are not/],
  ['queue pause', 'POST /v2/queues/orders/pause', /^queues are not/],
  ['URL group', 'DELETE /v2/topics/team', /^URL groups \(topics\) are not/],
  ['flow control key', 'GET /v2/flowControl/key', /^flow control endpoints/],
  ['global parallelism', 'GET /v2/globalParallelism', /^global parallelism/],
  ['batch trigger', 'POST /v2/batch/trigger', /^batch workflow triggers/],
  ['notify', 'POST /v2/notify/event-1', /waitForEvent\/notify/],
  ['wait', 'POST /v2/wait/event-1', /waitForEvent\/notify/],
  ['waiters', 'GET /v2/waiters/event-1', /waitForEvent\/notify/],
  [
    'cancel a failure callback',
    'DELETE /v2/workflows/dlq/callback/dlq_1',
    /^failure callback cancellations/,
  ],
];

// The table rows above, completed into full cases.
function headerRequest(path: string) {
  return ([name, headers, error]: HeaderCase): BadRequest => ({
    name,
    method: 'POST',
    path,
    headers,
    status: 400,
    error,
  });
}

function plainRequest(status: number) {
  return ([name, request, error]: RequestCase): BadRequest => {
    const [method, path] = request.split(' ') as [BadRequest['method'], string];
    return { name, method, path, status, error };
  };
}

const CASES: BadRequest[] = [
  ...SPECIAL_CASES,
  ...PUBLISH_HEADER_CASES.map(headerRequest('/v2/publish/{endpoint}/x')),
  ...SCHEDULE_HEADER_CASES.map(headerRequest('/v2/schedules/{endpoint}/s')),
  ...REJECTED_REQUEST_CASES.map(plainRequest(400)),
  ...NOT_FOUND_CASES.map(plainRequest(404)),
  ...NOT_SUPPORTED_CASES.map(plainRequest(501)),
];

describe('bad input', () => {
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let api: ApiClient;

  const snapshot = async () => ({
    schedules: (await api.get('/v2/schedules')).json,
    dlq: (await api.get('/v2/dlq')).json,
    logs: (await api.get('/v2/logs?count=1000')).json,
    runs: (await api.get('/v2/workflows/logs')).json,
    keys: (await api.get('/v2/keys')).json,
  });

  beforeAll(async () => {
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    endpoint = await startRecordingEndpoint();
    endpoint.reply(request =>
      request.path.startsWith('/fail') ? { status: 500 } : { status: 200 },
    );
    api = apiClient(server.url, server.token);
    // Some state that a mistaken bulk call would change.
    await api.post(`/v2/schedules/${endpoint.url}/kept`, {
      headers: { 'upstash-cron': '0 0 * * *' },
    });
    await api.post(`/v2/publish/${endpoint.url}/waiting`, {
      headers: { 'upstash-delay': '1d' },
    });
    const failed = await api.post(`/v2/publish/${endpoint.url}/fail`, {
      headers: { 'upstash-retries': '0' },
    });
    await waitFor(
      async () =>
        (
          await api.get(`/v2/dlq?messageId=${failed.json.messageId}`)
        ).json.messages.length === 1,
    );
  });

  afterAll(async () => {
    await endpoint.close();
    await server.close();
  });

  it.each(CASES)(
    '$name: $status naming the problem, nothing changed',
    async bad => {
      const before = await snapshot();
      const fill = (text: string) =>
        text.split('{endpoint}').join(endpoint.url);
      const response = await api.call(bad.method, fill(bad.path), {
        headers: Object.fromEntries(
          Object.entries(bad.headers ?? {}).map(([k, v]) => [k, fill(v)]),
        ),
        body: bad.body === undefined ? undefined : fill(bad.body),
        auth: bad.auth ?? !bad.headers?.authorization,
      });
      expect({ status: response.status, body: response.json }).toEqual({
        status: bad.status,
        body: { error: expect.stringMatching(bad.error) },
      });
      expect(await snapshot()).toEqual(before);
    },
  );
});
