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

const CASES: BadRequest[] = [
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
    name: 'destination is not a URL',
    method: 'POST',
    path: '/v2/publish/my-topic',
    status: 400,
    error: /destination "my-topic"/,
  },
  {
    name: 'bad Upstash-Delay',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-delay': 'soon' },
    status: 400,
    error: /Upstash-Delay/,
  },
  {
    name: 'negative Upstash-Retries',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-retries': '-1' },
    status: 400,
    error: /Upstash-Retries/,
  },
  {
    name: 'too many Upstash-Retries',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-retries': '1000' },
    status: 400,
    error: /Upstash-Retries.*at most 100/,
  },
  {
    name: 'unknown Upstash-Method',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-method': 'FETCH' },
    status: 400,
    error: /Upstash-Method/,
  },
  {
    name: 'label with spaces',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-label': 'ok,not ok' },
    status: 400,
    error: /Upstash-Label.*"not ok"/,
  },
  {
    name: 'callback is not http',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-callback': 'ftp://example.com' },
    status: 400,
    error: /Upstash-Callback/,
  },
  {
    name: 'retry delay that is code',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-retry-delay': 'process.exit(1)' },
    status: 400,
    error: /Upstash-Retry-Delay/,
  },
  {
    name: 'not-before that is not a number',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-not-before': 'tomorrow' },
    status: 400,
    error: /Upstash-Not-Before/,
  },
  {
    name: 'flow control key without value',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-flow-control-key': 'k' },
    status: 400,
    error: /Upstash-Flow-Control-Value/,
  },
  {
    name: 'bad Upstash-Timeout',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-timeout': 'long' },
    status: 400,
    error: /Upstash-Timeout/,
  },
  {
    name: 'queue name',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: { 'upstash-queue-name': 'q' },
    status: 400,
    error: /Upstash-Queue-Name.*not supported/,
  },
  {
    name: 'bad failure-callback settings',
    method: 'POST',
    path: '/v2/publish/{endpoint}/x',
    headers: {
      'upstash-failure-callback': '{endpoint}/f',
      'upstash-failure-callback-retries': 'many',
    },
    status: 400,
    error: /Upstash-Failure-Callback settings.*Upstash-Retries/,
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
    name: 'schedule without cron',
    method: 'POST',
    path: '/v2/schedules/{endpoint}/s',
    status: 400,
    error: /Upstash-Cron/,
  },
  {
    name: 'schedule with seconds field',
    method: 'POST',
    path: '/v2/schedules/{endpoint}/s',
    headers: { 'upstash-cron': '*/10 * * * * *' },
    status: 400,
    error: /Upstash-Cron.*6 fields/,
  },
  {
    name: 'schedule with bad cron field',
    method: 'POST',
    path: '/v2/schedules/{endpoint}/s',
    headers: { 'upstash-cron': '61 * * * *' },
    status: 400,
    error: /Upstash-Cron.*minute/,
  },
  {
    name: 'schedule with unknown time zone',
    method: 'POST',
    path: '/v2/schedules/{endpoint}/s',
    headers: { 'upstash-cron': 'CRON_TZ=Mars/Olympus 0 9 * * *' },
    status: 400,
    error: /CRON_TZ/,
  },
  {
    name: 'schedule id with slash-free junk',
    method: 'POST',
    path: '/v2/schedules/{endpoint}/s',
    headers: { 'upstash-cron': '* * * * *', 'upstash-schedule-id': 'a b' },
    status: 400,
    error: /Upstash-Schedule-Id/,
  },
  {
    name: 'message id with bad characters',
    method: 'GET',
    path: '/v2/messages/msg%20one',
    status: 400,
    error: /messageId/,
  },
  {
    name: 'unknown message',
    method: 'GET',
    path: '/v2/messages/msg_unknown',
    status: 404,
    error: /msg_unknown/,
  },
  {
    name: 'unknown schedule',
    method: 'DELETE',
    path: '/v2/schedules/scd_unknown',
    status: 404,
    error: /scd_unknown/,
  },
  {
    name: 'pause unknown schedule',
    method: 'PATCH',
    path: '/v2/schedules/scd_unknown/pause',
    status: 404,
    error: /scd_unknown/,
  },
  {
    name: 'unknown dead letter',
    method: 'POST',
    path: '/v2/dlq/retry/dlq_unknown',
    status: 404,
    error: /dlq_unknown/,
  },
  {
    name: 'empty message id',
    method: 'DELETE',
    path: '/v2/messages/',
    status: 400,
    error: /missing messageId/,
  },
  {
    name: 'empty dlq id',
    method: 'DELETE',
    path: '/v2/dlq/',
    status: 400,
    error: /missing dlqId/,
  },
  {
    name: 'empty dlq id to retry',
    method: 'POST',
    path: '/v2/dlq/retry/',
    status: 400,
    error: /missing dlqId/,
  },
  {
    name: 'empty schedule id',
    method: 'DELETE',
    path: '/v2/schedules/',
    status: 400,
    error: /missing scheduleId/,
  },
  {
    name: 'empty run id',
    method: 'DELETE',
    path: '/v2/workflows/runs/',
    status: 400,
    error: /missing workflowRunId/,
  },
  {
    name: 'empty workflow dlq id',
    method: 'POST',
    path: '/v2/workflows/dlq/resume/',
    status: 400,
    error: /missing dlqId/,
  },
  {
    name: 'bulk cancel without filter',
    method: 'DELETE',
    path: '/v2/messages',
    status: 400,
    error: /bulk cancel needs messageIds or a filter/,
  },
  {
    name: 'bulk cancel with only a count',
    method: 'DELETE',
    path: '/v2/messages?count=10',
    status: 400,
    error: /bulk cancel needs/,
  },
  {
    name: 'bulk dlq delete without filter',
    method: 'DELETE',
    path: '/v2/dlq',
    status: 400,
    error: /bulk delete needs dlqIds or a filter/,
  },
  {
    name: 'bulk dlq retry without filter',
    method: 'POST',
    path: '/v2/dlq/retry?count=5',
    status: 400,
    error: /bulk retry needs dlqIds or a filter/,
  },
  {
    name: 'bulk run cancel without filter',
    method: 'DELETE',
    path: '/v2/workflows/runs',
    status: 400,
    error: /bulk cancel needs workflowRunIds or a filter/,
  },
  {
    name: 'bulk workflow dlq delete without filter',
    method: 'DELETE',
    path: '/v2/workflows/dlq',
    status: 400,
    error: /bulk delete needs dlqIds or a filter/,
  },
  {
    name: 'bulk resume without filter',
    method: 'POST',
    path: '/v2/workflows/dlq/resume',
    status: 400,
    error: /bulk resume needs/,
  },
  {
    name: 'log count out of range',
    method: 'GET',
    path: '/v2/logs?count=0',
    status: 400,
    error: /query parameter count/,
  },
  {
    name: 'unknown log state',
    method: 'GET',
    path: '/v2/logs?state=LOST',
    status: 400,
    error: /query parameter state/,
  },
  {
    name: 'cursor from elsewhere',
    method: 'GET',
    path: '/v2/events?cursor=abc',
    status: 400,
    error: /query parameter cursor/,
  },
  {
    name: 'date that is not a timestamp',
    method: 'GET',
    path: '/v2/dlq?fromDate=yesterday',
    status: 400,
    error: /query parameter fromDate/,
  },
  {
    name: 'label filter with bad characters',
    method: 'GET',
    path: '/v2/logs?label=a%20b',
    status: 400,
    error: /query parameter label/,
  },
  {
    name: 'too many runs per page',
    method: 'GET',
    path: '/v2/workflows/logs?count=50',
    status: 400,
    error: /query parameter count/,
  },
  {
    name: 'events without groupBy',
    method: 'GET',
    path: '/v2/workflows/events',
    status: 400,
    error: /groupBy/,
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
  {
    name: 'cancel unknown run',
    method: 'DELETE',
    path: '/v2/workflows/runs/wfr_unknown',
    status: 404,
    error: /wfr_unknown/,
  },
  {
    name: 'resume unknown dead letter',
    method: 'POST',
    path: '/v2/workflows/dlq/resume/dlq_unknown',
    status: 404,
    error: /dlq_unknown/,
  },
  {
    name: 'retry failure callback of unknown dead letter',
    method: 'POST',
    path: '/v2/workflows/dlq/callback/dlq_unknown',
    status: 404,
    error: /dlq_unknown/,
  },
  {
    name: 'unknown endpoint',
    method: 'GET',
    path: '/v2/nothing-here',
    status: 404,
    error: /no such endpoint/,
  },
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
