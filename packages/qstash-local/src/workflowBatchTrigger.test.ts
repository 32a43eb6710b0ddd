import { Client as WorkflowClient } from '@upstash/workflow';
import { serve } from '@upstash/workflow/express';
import { ApiClient, apiClient } from './__testUtils__/apiClient';
import { waitFor } from './__testUtils__/waitFor';
import { WorkflowApp, startWorkflowApp } from './__testUtils__/workflowApp';
import {
  serveOptions,
  waitForRun,
  workflowClient,
} from './__testUtils__/workflowFixtures';
import { QStashLocal, startQStashLocal } from './index';

jest.setTimeout(30_000);

describe('batch triggers and failure callback cancels', () => {
  let server: QStashLocal;
  let app: WorkflowApp;
  let client: WorkflowClient;
  let api: ApiClient;
  const payloads: unknown[] = [];
  let failureCalls = 0;
  let releaseFailure: () => void = () => {};

  beforeAll(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    jest.spyOn(console, 'warn').mockImplementation(() => {});
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    const options = serveOptions(server);
    app = await startWorkflowApp({
      '/record': serve<{ n: number }>(async context => {
        await context.run('record', () => {
          payloads.push(context.requestPayload);
        });
      }, options),
      '/sleepy': serve(async context => {
        await context.sleep('nap', '1h');
      }, options),
      '/fails': serve(
        async context => {
          await context.run('breaks', () => {
            throw new Error('always broken');
          });
        },
        {
          ...options,
          failureFunction: async () => {
            failureCalls += 1;
            // Held until the test has cancelled the callback, then it fails.
            await new Promise<void>(resolve => {
              releaseFailure = resolve;
            });
            throw new Error('failure function fails too');
          },
        },
      ),
    });
    client = workflowClient(server);
    api = apiClient(server.url, server.token);
  });

  afterAll(async () => {
    releaseFailure();
    await app?.close();
    await server?.close();
    jest.restoreAllMocks();
  });

  it('starts every run of a batch trigger', async () => {
    const answer = await api.post('/v2/batch/trigger', {
      body: JSON.stringify([
        {
          destination: `${app.url}/record`,
          body: '{"n":1}',
          headers: { 'Content-Type': 'application/json' },
        },
        {
          destination: `${app.url}/record`,
          body: '{"n":2}',
          headers: {
            'Content-Type': 'application/json',
            'Upstash-Workflow-RunId': 'wfr_batch_named',
          },
        },
      ]),
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual([
      {
        workflowRunId: expect.stringMatching(/^wfr_/),
        workflowCreatedAt: expect.any(Number),
      },
      {
        workflowRunId: 'wfr_batch_named',
        workflowCreatedAt: expect.any(Number),
      },
    ]);
    for (const { workflowRunId } of answer.json) {
      await waitForRun(
        client,
        workflowRunId,
        run => run.workflowState === 'RUN_SUCCESS',
      );
    }
    expect(payloads).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
  });

  it('marks a run id that is already running as deduplicated', async () => {
    const entry = {
      destination: `${app.url}/sleepy`,
      headers: { 'Upstash-Workflow-RunId': 'wfr_batch_sleepy' },
    };
    const first = await api.post('/v2/batch/trigger', {
      body: JSON.stringify([entry]),
    });
    expect(first.status).toBe(201);
    const again = await api.post('/v2/batch/trigger', {
      body: JSON.stringify([entry, entry]),
    });
    expect(again.json).toEqual([
      {
        workflowRunId: 'wfr_batch_sleepy',
        workflowCreatedAt: first.json[0].workflowCreatedAt,
        deduplicated: true,
      },
      {
        workflowRunId: 'wfr_batch_sleepy',
        workflowCreatedAt: first.json[0].workflowCreatedAt,
        deduplicated: true,
      },
    ]);
    await client.cancel({ ids: 'wfr_batch_sleepy' });
  });

  it('refuses a bad entry with 400 naming it, starting none of the batch', async () => {
    const before = (await api.get('/v2/workflows/logs')).json.runs.length;
    const answer = await api.post('/v2/batch/trigger', {
      body: JSON.stringify([
        { destination: `${app.url}/record`, body: '{"n":3}' },
        { destination: 'not-a-url' },
      ]),
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/^batch\[1\]: invalid destination/);
    const badRunId = await api.post('/v2/batch/trigger', {
      body: JSON.stringify([
        {
          destination: `${app.url}/record`,
          headers: { 'Upstash-Workflow-RunId': 'no spaces allowed' },
        },
      ]),
    });
    expect(badRunId.status).toBe(400);
    expect(badRunId.json.error).toContain('Upstash-Workflow-RunId');
    const missing = await api.post('/v2/batch/trigger', {
      body: JSON.stringify([{ body: 'x' }]),
    });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toContain('batch[0].destination');
    const empty = await api.post('/v2/batch/trigger', { body: '[]' });
    expect(empty.status).toBe(400);
    expect((await api.get('/v2/workflows/logs')).json.runs).toHaveLength(
      before,
    );
  });

  it('cancels a failure callback in progress', async () => {
    const { workflowRunId } = await client.trigger({
      url: `${app.url}/fails`,
      retries: 0,
    });
    await waitFor(() => failureCalls === 1, { what: 'the failure function' });
    const [failed] = (await client.logs({ workflowRunId })).runs;
    expect(failed.workflowState).toBe('RUN_FAILED');
    expect(failed.failureFunction?.state).toBe('CALLBACK_INPROGRESS');
    const dlqId = failed.dlqId!;

    const cancelled = await api.delete(`/v2/workflows/dlq/callback/${dlqId}`);
    expect(cancelled.status).toBe(302);
    releaseFailure();

    // The attempt in flight ends as cancelled, not as a failure to retry.
    await waitFor(async () => {
      const { logs } = (
        await api.get(`/v2/logs?messageId=${failed.failureFunction!.messageId}`)
      ).json;
      return logs.some((log: { state: string }) => log.state === 'CANCELLED');
    });
    const [after] = (await client.logs({ workflowRunId })).runs;
    expect(after.failureFunction?.state).toBe('CALLBACK_CANCELED');
    expect(failureCalls).toBe(1);

    const again = await api.delete(`/v2/workflows/dlq/callback/${dlqId}`);
    expect(again.status).toBe(400);
    expect(again.json.error).toContain('CALLBACK_CANCELED');
    const unknown = await api.delete('/v2/workflows/dlq/callback/dlq_unknown');
    expect(unknown.status).toBe(404);
  });
});
