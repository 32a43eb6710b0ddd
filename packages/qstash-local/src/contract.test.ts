import { serve } from '@upstash/workflow/express';
import { ApiClient, ApiResponse, apiClient } from './__testUtils__/apiClient';
import {
  OpenApiContract,
  REFERENCE_DIR,
  SPEC_FILES,
  SpecName,
  referenceAvailable,
} from './__testUtils__/openApiContract';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { waitFor } from './__testUtils__/waitFor';
import { WorkflowApp, startWorkflowApp } from './__testUtils__/workflowApp';
import {
  serveOptions,
  waitForRun,
  workflowClient,
} from './__testUtils__/workflowFixtures';
import { QStashLocal, startQStashLocal } from './index';

const available = referenceAvailable();
if (!available && !process.env.CI) {
  // Outside CI a checkout may lack the shared reference folder; CI must have it.
  process.stderr.write(
    `OpenAPI contract tests skipped: ${REFERENCE_DIR} (with ${Object.values(
      SPEC_FILES,
    ).join(', ')}) is missing\n`,
  );
}
const describeContract = available || process.env.CI ? describe : describe.skip;

/** The `GET /v2/workflows/runs/{id}` body, from the SDK's RawStep type (not in the specs). */
const rawStepsSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['messageId', 'body', 'callType'],
    properties: {
      messageId: { type: 'string' },
      body: { type: 'string' },
      callType: { enum: ['step', 'toCallback', 'fromCallback'] },
    },
  },
};

describeContract('responses match the official OpenAPI schemas', () => {
  let contract: OpenApiContract;
  let server: QStashLocal;
  let api: ApiClient;
  let endpoint: RecordingEndpoint;
  let app: WorkflowApp;

  const expectValid = (
    spec: SpecName,
    route: string,
    method: string,
    response: ApiResponse,
    status: number,
  ) => {
    expect({
      route,
      status: response.status,
      body: response.json,
    }).toMatchObject({
      status,
    });
    expect(
      contract.responseErrors(spec, route, method, status, response.json),
    ).toEqual([]);
  };

  beforeAll(async () => {
    if (!available) {
      throw new Error(`OpenAPI reference folder ${REFERENCE_DIR} is missing`);
    }
    // The SDKs report expected error answers on the console.
    jest.spyOn(console, 'error').mockImplementation(() => {});
    jest.spyOn(console, 'warn').mockImplementation(() => {});
    contract = new OpenApiContract();
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    api = apiClient(server.url, server.token);
    endpoint = await startRecordingEndpoint();
    endpoint.reply(request =>
      request.path.startsWith('/fail')
        ? { status: 500, body: 'broken' }
        : { status: 200 },
    );
    app = await startWorkflowApp({
      '/ok': serve(async context => {
        await context.run('one', () => 1);
        await context.run('two', () => 2);
      }, serveOptions(server)),
      '/waits': serve<{ eventId: string }>(async context => {
        await context.waitForEvent('wait', context.requestPayload.eventId, {
          timeout: '1h',
        });
        await context.run('after', () => 'done');
      }, serveOptions(server)),
      '/broken': serve(
        async context => {
          await context.run('one', () => 1);
          await context.run('two', () => {
            throw new Error('step two is broken');
          });
        },
        {
          ...serveOptions(server),
          failureFunction: async () => 'noted',
        },
      ),
    });
  });

  afterAll(async () => {
    await app?.close();
    await endpoint?.close();
    await server?.close();
    jest.restoreAllMocks();
  });

  it('finds the reference folder', () => {
    expect(available).toBe(true);
  });

  it('catches a body that breaks a schema', () => {
    expect(
      contract.responseErrors('qstash', '/v2/logs', 'get', 200, {
        logs: [{ state: 'LOST', time: 'yesterday' }],
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/logs\/0\/time must be integer/),
        expect.stringMatching(
          /^\/logs\/0\/state must be equal to one of the allowed values/,
        ),
      ]),
    );
    expect(
      contract.componentErrors('workflow', 'WorkflowRun', { steps: 'none' }),
    ).toEqual(['/steps must be array']);
  });

  it('publish, batch and messages', async () => {
    const published = await api.post(`/v2/publish/${endpoint.url}/ok`, {
      body: 'hello',
      headers: { 'content-type': 'text/plain', 'upstash-delay': '1h' },
    });
    expect(published.status).toBe(200);
    // The spec's oneOf accepts any object twice (neither branch has required
    // fields), so a URL publish is checked against its own branch.
    expect(
      contract.componentErrors('qstash', 'PublishResponse', published.json),
    ).toEqual([]);

    const batch = await api.post('/v2/batch', {
      body: JSON.stringify([{ destination: `${endpoint.url}/ok`, body: 'a' }]),
      headers: { 'content-type': 'application/json' },
    });
    expectValid('qstash', '/v2/batch', 'post', batch, 200);

    const message = await api.get(`/v2/messages/${published.json.messageId}`);
    expectValid('qstash', '/v2/messages/{messageId}', 'get', message, 200);

    const missing = await api.get('/v2/messages/msg_unknown');
    expectValid('qstash', '/v2/messages/{messageId}', 'get', missing, 404);

    const cancelled = await api.delete(
      `/v2/messages/${published.json.messageId}`,
    );
    expectValid('qstash', '/v2/messages/{messageId}', 'delete', cancelled, 200);

    const second = await api.post(`/v2/publish/${endpoint.url}/ok`, {
      headers: { 'upstash-delay': '1h' },
    });
    const bulk = await api.delete(
      `/v2/messages?messageIds=${second.json.messageId}`,
    );
    expectValid('qstash', '/v2/messages', 'delete', bulk, 200);
    expect(bulk.json.cancelled).toBe(1);

    const unauthorized = await api.post(`/v2/publish/${endpoint.url}/ok`, {
      auth: false,
    });
    expectValid(
      'qstash',
      '/v2/publish/{destination}',
      'post',
      unauthorized,
      401,
    );
    const invalid = await api.post('/v2/publish/not%20a%20url');
    expectValid('qstash', '/v2/publish/{destination}', 'post', invalid, 400);
  });

  it('logs and events', async () => {
    await api.post(`/v2/publish/${endpoint.url}/ok`, { body: 'x' });
    await endpoint.waitForCount(1, '/ok');
    const logs = await waitFor(async () => {
      const response = await api.get('/v2/logs?count=2');
      return response.json?.logs?.length === 2 && response;
    });
    expectValid('qstash', '/v2/logs', 'get', logs, 200);
    const next = await api.get(`/v2/logs?count=2&cursor=${logs.json.cursor}`);
    expectValid('qstash', '/v2/logs', 'get', next, 200);

    const events = await api.get('/v2/events?count=5');
    expect(events.status).toBe(200);
    for (const entry of events.json.events) {
      expect(contract.componentErrors('qstash', 'LogEntry', entry)).toEqual([]);
    }
  });

  it('dead letter queue', async () => {
    const failed = await api.post(`/v2/publish/${endpoint.url}/fail`, {
      headers: { 'upstash-retries': '0' },
    });
    const list = await waitFor(async () => {
      const response = await api.get(
        `/v2/dlq?messageId=${failed.json.messageId}`,
      );
      return response.json?.messages?.length === 1 && response;
    });
    expectValid('qstash', '/v2/dlq', 'get', list, 200);
    const { dlqId } = list.json.messages[0];

    const one = await api.get(`/v2/dlq/${dlqId}`);
    expectValid('qstash', '/v2/dlq/{dlqId}', 'get', one, 200);
    expectValid(
      'qstash',
      '/v2/dlq/{dlqId}',
      'get',
      await api.get('/v2/dlq/dlq_missing'),
      404,
    );

    const retried = await api.post(`/v2/dlq/retry/${dlqId}`);
    expectValid('qstash', '/v2/dlq/retry/{dlqId}', 'post', retried, 201);

    const again = await waitFor(async () => {
      const response = await api.get(
        `/v2/dlq?url=${encodeURIComponent(`${endpoint.url}/fail`)}`,
      );
      return response.json?.messages?.length === 1 && response.json.messages[0];
    });
    const bulkRetry = await api.post(`/v2/dlq/retry?dlqIds=${again.dlqId}`);
    expectValid('qstash', '/v2/dlq/retry', 'post', bulkRetry, 201);

    const third = await waitFor(async () => {
      const response = await api.get(
        `/v2/dlq?url=${encodeURIComponent(`${endpoint.url}/fail`)}`,
      );
      return response.json?.messages?.length === 1 && response.json.messages[0];
    });
    const deleted = await api.delete(`/v2/dlq/${third.dlqId}`);
    expectValid('qstash', '/v2/dlq/{dlqId}', 'delete', deleted, 200);
    expectValid(
      'qstash',
      '/v2/dlq/{dlqId}',
      'delete',
      await api.delete(`/v2/dlq/${third.dlqId}`),
      404,
    );

    const bulkDelete = await api.delete(
      `/v2/dlq?url=${encodeURIComponent('http://nowhere/')}`,
    );
    expectValid('qstash', '/v2/dlq', 'delete', bulkDelete, 200);

    const unknownDelete = await api.delete('/v2/dlq?dlqIds=dlq_unknown');
    expectValid('qstash', '/v2/dlq', 'delete', unknownDelete, 200);
    expect(unknownDelete.json).toEqual({ deleted: 0 });
    const unknownRetry = await api.post('/v2/dlq/retry?dlqIds=dlq_unknown');
    expectValid('qstash', '/v2/dlq/retry', 'post', unknownRetry, 404);
  });

  it('schedules', async () => {
    const created = await api.post(`/v2/schedules/${endpoint.url}/ok`, {
      headers: {
        'upstash-cron': 'CRON_TZ=Asia/Singapore 0 9 * * *',
        'upstash-label': 'daily',
      },
      body: '{"a":1}',
    });
    expectValid('qstash', '/v2/schedules/{destination}', 'post', created, 200);
    const { scheduleId } = created.json;

    expectValid(
      'qstash',
      '/v2/schedules',
      'get',
      await api.get('/v2/schedules'),
      200,
    );
    expectValid(
      'qstash',
      '/v2/schedules/{scheduleId}',
      'get',
      await api.get(`/v2/schedules/${scheduleId}`),
      200,
    );
    expectValid(
      'qstash',
      '/v2/schedules/{scheduleId}',
      'get',
      await api.get('/v2/schedules/scd_missing'),
      404,
    );
    expectValid(
      'qstash',
      '/v2/schedules/{scheduleId}/pause',
      'post',
      await api.post(`/v2/schedules/${scheduleId}/pause`),
      200,
    );
    expectValid(
      'qstash',
      '/v2/schedules/{scheduleId}/resume',
      'post',
      await api.post(`/v2/schedules/${scheduleId}/resume`),
      200,
    );
    const invalid = await api.post(`/v2/schedules/${endpoint.url}/ok`, {
      headers: {
        'upstash-schedule-id': 'bad id!',
        'upstash-cron': '* * * * *',
      },
    });
    expectValid('qstash', '/v2/schedules/{destination}', 'post', invalid, 400);
    expectValid(
      'qstash',
      '/v2/schedules/{scheduleId}',
      'delete',
      await api.delete(`/v2/schedules/${scheduleId}`),
      200,
    );
  });

  it('queues and enqueue', async () => {
    const upserted = await api.post('/v2/queues', {
      body: JSON.stringify({ queueName: 'contract-q', parallelism: 2 }),
      headers: { 'content-type': 'application/json' },
    });
    expectValid('qstash', '/v2/queues', 'post', upserted, 200);
    expectValid(
      'qstash',
      '/v2/queues',
      'post',
      await api.post('/v2/queues', {
        body: JSON.stringify({ queueName: 'bad name', parallelism: 1 }),
      }),
      400,
    );
    expectValid(
      'qstash',
      '/v2/queues',
      'post',
      await api.post('/v2/queues', {
        body: JSON.stringify({ queueName: 'big', parallelism: 100000 }),
      }),
      412,
    );
    const enqueueRoute = '/v2/enqueue/{queueName}/{destination}';
    const enqueued = await api.post(
      `/v2/enqueue/contract-q/${endpoint.url}/ok`,
      { body: 'queued', headers: { 'upstash-delay': '1h' } },
    );
    expect(enqueued.status).toBe(200);
    expect(
      contract.componentErrors('qstash', 'PublishResponse', enqueued.json),
    ).toEqual([]);
    expectValid(
      'qstash',
      enqueueRoute,
      'post',
      await api.post('/v2/enqueue/contract-q/not%20a%20url'),
      400,
    );
    expectValid(
      'qstash',
      enqueueRoute,
      'post',
      await api.post('/v2/enqueue/contract-q/no-such-group'),
      404,
    );
    const message = await api.get(`/v2/messages/${enqueued.json.messageId}`);
    expectValid('qstash', '/v2/messages/{messageId}', 'get', message, 200);
    expect(message.json.queueName).toBe('contract-q');

    const batch = await api.post('/v2/batch', {
      body: JSON.stringify([
        {
          destination: `${endpoint.url}/ok`,
          queue: 'contract-q',
          headers: { 'Upstash-Delay': '1h' },
        },
      ]),
    });
    expectValid('qstash', '/v2/batch', 'post', batch, 200);

    const list = await api.get('/v2/queues');
    expectValid('qstash', '/v2/queues', 'get', list, 200);
    const one = await api.get('/v2/queues/contract-q');
    expectValid('qstash', '/v2/queues/{queueName}', 'get', one, 200);
    expect(one.json).toMatchObject({
      name: 'contract-q',
      parallelism: 2,
      lag: 2,
      paused: false,
    });
    expectValid(
      'qstash',
      '/v2/queues/{queueName}',
      'get',
      await api.get('/v2/queues/missing-q'),
      404,
    );
    expectValid(
      'qstash',
      '/v2/queues/{queueName}',
      'get',
      await api.get('/v2/queues/bad%20name'),
      400,
    );
    for (const action of ['pause', 'resume'] as const) {
      const route = `/v2/queues/{queueName}/${action}`;
      expectValid(
        'qstash',
        route,
        'post',
        await api.post(`/v2/queues/contract-q/${action}`),
        200,
      );
      expectValid(
        'qstash',
        route,
        'post',
        await api.post(`/v2/queues/bad%20name/${action}`),
        400,
      );
    }
    const logs = await api.get('/v2/logs?queueName=contract-q');
    expectValid('qstash', '/v2/logs', 'get', logs, 200);
    expect(logs.json.logs.length).toBe(2);
    expectValid(
      'qstash',
      '/v2/queues/{queueName}',
      'delete',
      await api.delete('/v2/queues/contract-q'),
      200,
    );
  });

  it('URL groups and publishing to them', async () => {
    const endpointsRoute = '/v2/topics/{urlGroupName}/endpoints';
    const added = await api.post('/v2/topics/contract-group/endpoints', {
      body: JSON.stringify({
        endpoints: [
          { url: `${endpoint.url}/ok/a`, name: 'a' },
          { url: `${endpoint.url}/ok/b` },
        ],
      }),
    });
    expectValid('qstash', endpointsRoute, 'post', added, 200);

    const published = await api.post('/v2/publish/contract-group', {
      body: 'fan out',
      headers: { 'upstash-delay': '1h' },
    });
    expect(published.status).toBe(200);
    expect(published.json).toHaveLength(2);
    for (const entry of published.json) {
      expect(
        contract.componentErrors('qstash', 'PublishToUrlGroupResponse', entry),
      ).toEqual([]);
    }
    const message = await api.get(
      `/v2/messages/${published.json[0].messageId}`,
    );
    expectValid('qstash', '/v2/messages/{messageId}', 'get', message, 200);
    expect(message.json).toMatchObject({
      topicName: 'contract-group',
      endpointName: 'a',
    });

    const list = await api.get('/v2/topics');
    expectValid('qstash', '/v2/topics', 'get', list, 200);
    const one = await api.get('/v2/topics/contract-group');
    expectValid('qstash', '/v2/topics/{urlGroupName}', 'get', one, 200);
    expectValid(
      'qstash',
      '/v2/topics/{urlGroupName}',
      'get',
      await api.get('/v2/topics/missing-group'),
      404,
    );
    const removed = await api.delete('/v2/topics/contract-group/endpoints', {
      body: JSON.stringify({ endpoints: [{ name: 'a' }] }),
    });
    expectValid('qstash', endpointsRoute, 'delete', removed, 200);
    expectValid(
      'qstash',
      '/v2/topics/{urlGroupName}',
      'delete',
      await api.delete('/v2/topics/contract-group'),
      200,
    );
  });

  it('flow control', async () => {
    await api.post(`/v2/publish/${endpoint.url}/ok`, {
      headers: {
        'upstash-delay': '1h',
        'upstash-flow-control-key': 'contract-key',
        'upstash-flow-control-value': 'parallelism=2, rate=5, period=1m',
      },
    });
    expect((await api.get('/v2/flowControl/contract-key')).json).toMatchObject({
      flowControlKey: 'contract-key',
      parallelismMax: 2,
      rateMax: 5,
      ratePeriod: 60,
      waitListSize: 0,
    });
    for (const spec of ['qstash', 'workflow'] as const) {
      expectValid(
        spec,
        '/v2/flowControl',
        'get',
        await api.get('/v2/flowControl'),
        200,
      );
      const key = await api.get('/v2/flowControl/contract-key');
      expectValid(spec, '/v2/flowControl/{flowControlKey}', 'get', key, 200);
      expectValid(
        spec,
        '/v2/flowControl/{flowControlKey}',
        'get',
        await api.get('/v2/flowControl/missing-key'),
        404,
      );
      expectValid(
        spec,
        '/v2/globalParallelism',
        'get',
        await api.get('/v2/globalParallelism'),
        200,
      );
      for (const [action, query] of [
        ['pause', ''],
        ['resume', ''],
        ['pin', '?parallelism=3&rate=10&period=60'],
        ['unpin', '?parallelism=true&rate=true'],
        ['resetRate', ''],
      ]) {
        const route = `/v2/flowControl/{flowControlKey}/${action}`;
        expectValid(
          spec,
          route,
          'post',
          await api.post(`/v2/flowControl/contract-key/${action}${query}`),
          200,
        );
        expectValid(
          spec,
          route,
          'post',
          await api.post(`/v2/flowControl/bad%20key/${action}${query}`),
          400,
        );
      }
      expectValid(
        spec,
        '/v2/flowControl/{flowControlKey}/pin',
        'post',
        await api.post('/v2/flowControl/contract-key/pin?rate=-1'),
        400,
      );
    }
  });

  it('signing keys', async () => {
    expectValid('qstash', '/v2/keys', 'get', await api.get('/v2/keys'), 200);
    expectValid('workflow', '/v2/keys', 'get', await api.get('/v2/keys'), 200);
    expectValid(
      'qstash',
      '/v2/keys/rotate',
      'post',
      await api.post('/v2/keys/rotate'),
      200,
    );
  });

  it('workflow runs, logs and cancel', async () => {
    const triggered = await api.post(`/v2/trigger/${app.url}/ok`, {
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expectValid(
      'workflow',
      '/v2/trigger/{workflowUrl}',
      'post',
      triggered,
      200,
    );
    const client = workflowClient(server);
    await waitForRun(
      client,
      triggered.json.workflowRunId,
      run => run.workflowState === 'RUN_SUCCESS',
    );

    const logs = await api.get(
      `/v2/workflows/logs?workflowRunId=${triggered.json.workflowRunId}`,
    );
    expectValid('workflow', '/v2/workflows/logs', 'get', logs, 200);
    const events = await api.get(
      '/v2/workflows/events?groupBy=workflowRunId&count=10',
    );
    expectValid('workflow', '/v2/workflows/logs', 'get', events, 200);

    const sleeping = await api.post(`/v2/trigger/${app.url}/ok`, {
      headers: { 'upstash-delay': '1h' },
    });
    const steps = await api.get(
      `/v2/workflows/runs/${sleeping.json.workflowRunId}`,
    );
    expect(steps.status).toBe(200);
    expect(contract.schemaErrors(rawStepsSchema, steps.json)).toEqual([]);

    const cancelled = await api.delete(
      `/v2/workflows/runs/${sleeping.json.workflowRunId}`,
    );
    expectValid(
      'workflow',
      '/v2/workflows/runs/{workflowRunId}',
      'delete',
      cancelled,
      200,
    );
    const missing = await api.delete('/v2/workflows/runs/wfr_missing');
    expect(missing.status).toBe(404);
    expect(contract.componentErrors('workflow', 'Error', missing.json)).toEqual(
      [],
    );

    const another = await api.post(`/v2/trigger/${app.url}/ok`, {
      headers: { 'upstash-delay': '1h' },
    });
    const bulk = await api.delete(
      `/v2/workflows/runs?workflowRunIds=${another.json.workflowRunId}`,
    );
    expectValid('workflow', '/v2/workflows/runs', 'delete', bulk, 200);
    expect(bulk.json.cancelled).toBe(1);
  });

  it('workflow events: waiters, notify and a waiting run', async () => {
    const client = workflowClient(server);
    const startWaiting = async (eventId: string) => {
      const { workflowRunId } = await client.trigger({
        url: `${app.url}/waits`,
        body: { eventId },
      });
      return waitForRun(client, workflowRunId, run =>
        run.steps.some(
          group =>
            group.type === 'next' &&
            group.steps.some(step => step.stepName === 'wait'),
        ),
      );
    };
    const waiting = await startWaiting('contract-event');
    const logs = await api.get(
      `/v2/workflows/logs?workflowRunId=${waiting.workflowRunId}`,
    );
    expectValid('workflow', '/v2/workflows/logs', 'get', logs, 200);

    const waiters = await api.get('/v2/waiters/contract-event');
    expectValid('workflow', '/v2/waiters/{eventId}', 'get', waiters, 200);
    expect(waiters.json).toHaveLength(1);

    const notified = await api.post('/v2/notify/contract-event', {
      body: '{"ok":true}',
    });
    expectValid('workflow', '/v2/notify/{eventId}', 'post', notified, 201);
    expect(notified.json).toHaveLength(1);
    const done = await waitForRun(
      client,
      waiting.workflowRunId,
      run => run.workflowState === 'RUN_SUCCESS',
    );
    expect(contract.componentErrors('workflow', 'WorkflowRun', done)).toEqual(
      [],
    );
    const none = await api.post('/v2/notify/contract-event');
    expectValid('workflow', '/v2/notify/{eventId}', 'post', none, 201);
    expect(none.json).toEqual([]);

    const other = await startWaiting('contract-run-event');
    const runRoute = '/v2/notify/{workflowRunId}/{eventId}';
    // Kept for later: the run does not wait for this event (yet).
    const kept = await api.post(
      `/v2/notify/${other.workflowRunId}/not-waited-yet`,
    );
    expectValid('workflow', runRoute, 'post', kept, 201);
    expect(kept.json.waiter).toBeUndefined();
    const woken = await api.post(
      `/v2/notify/${other.workflowRunId}/contract-run-event`,
      { body: 'plain text' },
    );
    expectValid('workflow', runRoute, 'post', woken, 201);
    expect(woken.json.waiter).toBeDefined();

    const unknown = await api.post('/v2/notify/wfr_unknown/contract-event');
    expect(unknown.status).toBe(404);
    expect(contract.componentErrors('workflow', 'Error', unknown.json)).toEqual(
      [],
    );
    const empty = await api.post('/v2/notify/');
    expect(empty.status).toBe(400);
    expect(contract.componentErrors('workflow', 'Error', empty.json)).toEqual(
      [],
    );
  });

  it('workflow batch trigger', async () => {
    const started = await api.post('/v2/batch/trigger', {
      body: JSON.stringify([
        {
          destination: `${app.url}/ok`,
          body: '{}',
          headers: { 'Content-Type': 'application/json' },
        },
        {
          destination: `${app.url}/ok`,
          body: '{}',
          headers: {
            'Content-Type': 'application/json',
            'Upstash-Workflow-RunId': 'wfr_contract_batch',
          },
        },
      ]),
    });
    expectValid('workflow', '/v2/batch/trigger', 'post', started, 201);
    const client = workflowClient(server);
    for (const { workflowRunId } of started.json) {
      await waitForRun(
        client,
        workflowRunId,
        run => run.workflowState === 'RUN_SUCCESS',
      );
    }
    const bad = await api.post('/v2/batch/trigger', { body: '[{}]' });
    expectValid('workflow', '/v2/batch/trigger', 'post', bad, 400);
  });

  it('workflow dead letter queue', async () => {
    const client = workflowClient(server);
    const start = async () => {
      const { workflowRunId } = await client.trigger({
        url: `${app.url}/broken`,
        retries: 0,
      });
      const run = await waitForRun(
        client,
        workflowRunId,
        r =>
          r.workflowState === 'RUN_FAILED' &&
          r.failureFunction?.state === 'CALLBACK_SUCCESS',
        'a failed run whose failure function ran',
      );
      return run.dlqId!;
    };
    const dlqId = await start();

    const list = await api.get('/v2/workflows/dlq');
    expectValid('workflow', '/v2/workflows/dlq', 'get', list, 200);
    const sdkList = await api.get('/v2/dlq?source=workflow');
    expectValid('workflow', '/v2/workflows/dlq', 'get', sdkList, 200);
    const one = await api.get(`/v2/workflows/dlq/${dlqId}`);
    expectValid('workflow', '/v2/workflows/dlq/{dlqId}', 'get', one, 200);
    expectValid(
      'workflow',
      '/v2/workflows/dlq/{dlqId}',
      'get',
      await api.get('/v2/workflows/dlq/dlq_missing'),
      404,
    );

    // The failure function succeeded, so there is nothing to retry.
    const callback = await api.post(`/v2/workflows/dlq/callback/${dlqId}`);
    expectValid(
      'workflow',
      '/v2/workflows/dlq/callback/{dlqId}',
      'post',
      callback,
      400,
    );

    const resumed = await api.post(`/v2/workflows/dlq/resume/${dlqId}`);
    expectValid(
      'workflow',
      '/v2/workflows/dlq/resume/{dlqId}',
      'post',
      resumed,
      200,
    );

    const restarted = await api.post(
      `/v2/workflows/dlq/restart/${await start()}`,
    );
    expectValid(
      'workflow',
      '/v2/workflows/dlq/restart/{dlqId}',
      'post',
      restarted,
      200,
    );

    const bulkResume = await api.post(
      `/v2/workflows/dlq/resume?dlqIds=${await start()}`,
    );
    expectValid(
      'workflow',
      '/v2/workflows/dlq/resume',
      'post',
      bulkResume,
      200,
    );
    const bulkRestart = await api.post(
      `/v2/workflows/dlq/restart?dlqIds=${await start()}`,
    );
    expectValid(
      'workflow',
      '/v2/workflows/dlq/restart',
      'post',
      bulkRestart,
      200,
    );

    const toDelete = await start();
    expectValid(
      'workflow',
      '/v2/workflows/dlq/{dlqId}',
      'delete',
      await api.delete(`/v2/workflows/dlq/${toDelete}`),
      200,
    );
    const bulkDelete = await api.delete(
      `/v2/workflows/dlq?dlqIds=${await start()}`,
    );
    expectValid('workflow', '/v2/workflows/dlq', 'delete', bulkDelete, 200);

    const unknownResume = await api.post(
      '/v2/workflows/dlq/resume?dlqIds=dlq_unknown',
    );
    expectValid(
      'workflow',
      '/v2/workflows/dlq/resume',
      'post',
      unknownResume,
      404,
    );
  });
});

/** Spec paths this server does not implement: each must answer 501. */
// None at present: every operation of both files is implemented.
const UNSUPPORTED_PREFIXES: string[] = [];
const UNSUPPORTED_OPERATIONS: string[] = [];
/**
 * The workflow file lists "Get Flow Control Key" as GET under
 * /v2/keys/rotate; the qstash file has it at /v2/flowControl/{flowControlKey}.
 */
const MISPLACED_OPERATIONS = ['workflow get /v2/keys/rotate'];

describeContract(
  'every OpenAPI operation is implemented or answers 501',
  () => {
    let contract: OpenApiContract;
    let server: QStashLocal;
    let api: ApiClient;

    beforeAll(async () => {
      if (!available) {
        throw new Error(`OpenAPI reference folder ${REFERENCE_DIR} is missing`);
      }
      contract = new OpenApiContract();
      // A server of its own: some calls below act on everything (bulk calls without filters).
      server = await startQStashLocal({ retryTimeScale: 0.0001 });
      api = apiClient(server.url, server.token);
    });

    afterAll(async () => {
      await server?.close();
    });

    it('walks both files', async () => {
      const seen: string[] = [];
      const problems: string[] = [];
      for (const spec of Object.keys(SPEC_FILES) as SpecName[]) {
        for (const { route, method } of contract.operations(spec)) {
          const operation = `${method} ${route}`;
          if (MISPLACED_OPERATIONS.includes(`${spec} ${operation}`)) continue;
          seen.push(`${spec} ${operation}`);
          // Ids nobody has, and destinations that are not URLs: no side effects.
          const path = route.replace(/\{(\w+)\}/g, (_, name: string) =>
            /destination|url/i.test(name) ? 'not-a-url' : `${name}_unknown`,
          );
          const response = await api.call(method.toUpperCase(), path);
          const error = String(response.json?.error);
          const what = `${spec} ${operation}: ${response.status} ${error}`;
          const unsupported =
            UNSUPPORTED_OPERATIONS.includes(operation) ||
            UNSUPPORTED_PREFIXES.some(prefix => route.startsWith(prefix));
          if (unsupported) {
            if (
              response.status !== 501 ||
              !/ are not supported by qstash-local$/.test(error)
            ) {
              problems.push(`${what} (expected 501 naming the feature)`);
            }
          } else if (
            response.status === 501 ||
            /no such endpoint/.test(error)
          ) {
            problems.push(`${what} (expected the implemented endpoint)`);
          } else if (contract.has(spec, route, method, response.status)) {
            const errors = contract.responseErrors(
              spec,
              route,
              method,
              response.status,
              response.json,
            );
            if (errors.length) problems.push(`${what}: ${errors.join('; ')}`);
          }
        }
      }
      expect(problems).toEqual([]);
      // Both files were read (40 and 29 operations when this was written).
      for (const spec of Object.keys(SPEC_FILES)) {
        expect(
          seen.filter(entry => entry.startsWith(`${spec} `)).length,
        ).toBeGreaterThan(20);
      }
    });
  },
);
