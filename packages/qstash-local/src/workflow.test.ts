import { Client as WorkflowClient, TriggerOptions } from '@upstash/workflow';
import { serve } from '@upstash/workflow/express';
import { apiClient } from './__testUtils__/apiClient';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { waitFor } from './__testUtils__/waitFor';
import { WorkflowApp, startWorkflowApp } from './__testUtils__/workflowApp';
import {
  RunLog,
  serveOptions,
  waitForRun,
  workflowClient,
} from './__testUtils__/workflowFixtures';
import { QStashLocal, startQStashLocal } from './index';

type Counts = Record<string, number>;

/** The step fields these tests read; the SDK types each group differently. */
interface LoggedStep {
  stepName?: string;
  stepType?: string;
  state: string;
  out?: unknown;
  errors?: unknown[];
}

function stepsOf(run: RunLog, type: string): LoggedStep[] {
  return run.steps
    .filter(group => group.type === type)
    .flatMap(group => group.steps as LoggedStep[]);
}

function finishedStep(run: RunLog, stepName: string): LoggedStep | undefined {
  return stepsOf(run, 'sequential').find(step => step.stepName === stepName);
}

const succeeded = (run: RunLog) => run.workflowState === 'RUN_SUCCESS';

/** Triggers a run and waits until it succeeded. */
async function runToSuccess(
  client: WorkflowClient,
  trigger: TriggerOptions,
): Promise<{ workflowRunId: string; run: RunLog }> {
  const { workflowRunId } = await client.trigger(trigger);
  return {
    workflowRunId,
    run: await waitForRun(client, workflowRunId, succeeded),
  };
}

jest.setTimeout(30_000);

describe('Upstash Workflow runs', () => {
  let server: QStashLocal;
  let app: WorkflowApp;
  let external: RecordingEndpoint;
  const counts: Counts = {};
  const count = (name: string) => {
    counts[name] = (counts[name] ?? 0) + 1;
  };
  let stepTwoBroken = true;

  /** Starts a /sleepy run and waits until it sleeps in its `nap` step. */
  async function startSleepingRun(client: WorkflowClient) {
    const { workflowRunId } = await client.trigger({
      url: `${app.url}/sleepy`,
    });
    const sleeping = await waitForRun(
      client,
      workflowRunId,
      r => stepsOf(r, 'next').some(step => step.stepName === 'nap'),
      'the run to sleep',
    );
    return { workflowRunId, sleeping };
  }

  let failureFunctionBroken = false;
  const failureCalls: Array<{ failResponse: string; failStatus: number }> = [];

  beforeAll(async () => {
    // serve() reports thrown step errors on the console; that output is expected here.
    jest.spyOn(console, 'error').mockImplementation(() => {});
    jest.spyOn(console, 'warn').mockImplementation(() => {});
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    external = await startRecordingEndpoint();
    external.reply(request =>
      request.path.startsWith('/teapot')
        ? { status: 418, body: 'short and stout' }
        : {
            status: 201,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ received: request.text }),
          },
    );
    const options = serveOptions(server);
    app = await startWorkflowApp({
      '/three-steps': serve<{ start: number }>(async context => {
        const a = await context.run('step-1', () => {
          count('three/1');
          return context.requestPayload.start + 1;
        });
        const b = await context.run('step-2', () => {
          count('three/2');
          return a + 1;
        });
        const c = await context.run('step-3', () => {
          count('three/3');
          return b + 1;
        });
        return { total: c };
      }, options),
      '/flaky': serve(
        async context => {
          await context.run('step-1', () => count('flaky/1'));
          await context.run('step-2', () => {
            count('flaky/2');
            if (stepTwoBroken) throw new Error('step 2 is broken today');
          });
          await context.run('step-3', () => count('flaky/3'));
        },
        {
          ...options,
          failureFunction: async ({ failResponse, failStatus }) => {
            count('flaky/failure');
            failureCalls.push({ failResponse, failStatus });
            if (failureFunctionBroken)
              throw new Error('failure function is broken too');
          },
        },
      ),
      '/sleepy': serve(async context => {
        await context.run('before', () => count('sleepy/before'));
        await context.sleep('nap', '1h');
        await context.run('after', () => count('sleepy/after'));
      }, options),
      '/parallel': serve(async context => {
        const results = await Promise.all(
          ['a', 'b', 'c'].map(name =>
            context.run(`branch-${name}`, () => {
              count(`parallel/${name}`);
              return name.toUpperCase();
            }),
          ),
        );
        await context.run('join', () => {
          count('parallel/join');
          return results.join('');
        });
      }, options),
      '/caller': serve<{ path: string }>(async context => {
        const response = await context.call('ask', {
          url: `${external.url}${context.requestPayload.path}`,
          method: 'POST',
          body: JSON.stringify({ question: 42 }),
          headers: { 'x-asked-by': 'workflow' },
        });
        await context.run('use-answer', () => {
          count('caller/use');
          return response.status;
        });
      }, options),
      '/unsigned': serve(
        async context => {
          await context.run('only', () => count('unsigned/only'));
        },
        { ...options, receiver: undefined },
      ),
    });
  });

  afterAll(async () => {
    await app?.close();
    await external?.close();
    await server?.close();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    for (const key of Object.keys(counts)) delete counts[key];
    stepTwoBroken = true;
    failureFunctionBroken = false;
    failureCalls.length = 0;
  });

  it('runs a three-step serve() workflow to RUN_SUCCESS, each step once', async () => {
    const client = workflowClient(server);
    const { workflowRunId, run } = await runToSuccess(client, {
      url: `${app.url}/three-steps`,
      body: { start: 1 },
      label: 'nightly',
    });

    expect(counts).toEqual({ 'three/1': 1, 'three/2': 1, 'three/3': 1 });
    expect(run.workflowRunResponse).toBe(JSON.stringify({ total: 4 }));
    expect(run.labels).toEqual(['nightly']);
    expect(run.workflowRunCompletedAt).toBeGreaterThanOrEqual(
      run.workflowRunCreatedAt,
    );
    const steps = stepsOf(run, 'sequential');
    expect(
      steps.map(step => [step.stepName, step.stepType, step.state, step.out]),
    ).toEqual([
      ['init', 'Initial', 'STEP_SUCCESS', JSON.stringify({ start: 1 })],
      ['step-1', 'Run', 'STEP_SUCCESS', '2'],
      ['step-2', 'Run', 'STEP_SUCCESS', '3'],
      ['step-3', 'Run', 'STEP_SUCCESS', '4'],
    ]);
    expect(stepsOf(run, 'next')).toEqual([]);

    const { runs } = await client.logs({ filter: { label: 'nightly' } });
    expect(runs.map(r => r.workflowRunId)).toContain(workflowRunId);
  });

  it('starts a run when the endpoint is called directly (first call publishes via /v2/batch)', async () => {
    const response = await fetch(`${app.url}/unsigned`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(response.status).toBe(200);
    const { workflowRunId } = (await response.json()) as {
      workflowRunId: string;
    };
    expect(workflowRunId).toMatch(/^wfr_/);
    const run = await waitForRun(
      workflowClient(server),
      workflowRunId,
      succeeded,
    );
    expect(counts['unsigned/only']).toBe(1);
    expect(stepsOf(run, 'sequential')[0].out).toBe(
      JSON.stringify({ hello: 'world' }),
    );
  });

  it('retries a throwing step, fails into the workflow DLQ, and resume skips finished steps', async () => {
    const client = workflowClient(server);
    const { workflowRunId } = await client.trigger({
      url: `${app.url}/flaky`,
      retries: 2,
    });
    const failed = await waitForRun(
      client,
      workflowRunId,
      r =>
        r.workflowState === 'RUN_FAILED' &&
        r.failureFunction?.state === 'CALLBACK_SUCCESS',
      'the run to fail and its failure function to run',
    );
    // One attempt plus two retries of the message that runs step 2.
    expect(counts['flaky/1']).toBe(1);
    expect(counts['flaky/2']).toBe(3);
    expect(counts['flaky/3']).toBeUndefined();
    expect(counts['flaky/failure']).toBe(1);
    expect(failureCalls[0].failStatus).toBe(500);
    expect(failureCalls[0].failResponse).toBe('step 2 is broken today');

    const [frontier] = stepsOf(failed, 'next');
    expect(frontier).toMatchObject({
      state: 'STEP_FAILED',
      stepName: 'step-2',
    });
    expect(frontier.errors).toHaveLength(3);
    expect(failed.dlqId).toBeDefined();

    const { messages } = await client.dlq.list({ filter: { workflowRunId } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      dlqId: failed.dlqId,
      workflowRunId,
      responseStatus: 500,
      failureCallbackInfo: { state: 'CALLBACK_SUCCESS' },
    });

    stepTwoBroken = false;
    const resumed = await client.dlq.resume(failed.dlqId!);
    const resumedRunId = resumed.workflowRuns[0].workflowRunId;
    expect(resumedRunId).not.toBe(workflowRunId);
    await waitForRun(client, resumedRunId, succeeded);
    expect(counts['flaky/1']).toBe(1);
    expect(counts['flaky/2']).toBe(4);
    expect(counts['flaky/3']).toBe(1);
    expect(
      (await client.dlq.list({ filter: { workflowRunId } })).messages,
    ).toHaveLength(0);
  });

  it('restart runs a failed workflow again from the first step', async () => {
    const client = workflowClient(server);
    const { workflowRunId } = await client.trigger({
      url: `${app.url}/flaky`,
      retries: 0,
    });
    const failed = await waitForRun(
      client,
      workflowRunId,
      r => r.workflowState === 'RUN_FAILED',
    );
    expect(counts['flaky/1']).toBe(1);

    stepTwoBroken = false;
    const restarted = await client.dlq.restart(failed.dlqId!);
    const run = await waitForRun(
      client,
      restarted.workflowRuns[0].workflowRunId,
      succeeded,
    );
    expect(counts['flaky/1']).toBe(2);
    expect(counts['flaky/3']).toBe(1);
    expect(stepsOf(run, 'sequential').map(step => step.stepName)).toEqual([
      'init',
      'step-1',
      'step-2',
      'step-3',
    ]);
  });

  it('retries a failed failure function from the DLQ', async () => {
    const client = workflowClient(server);
    failureFunctionBroken = true;
    const { workflowRunId } = await client.trigger({
      url: `${app.url}/flaky`,
      retries: 0,
    });
    const failed = await waitForRun(
      client,
      workflowRunId,
      r => r.failureFunction?.state === 'CALLBACK_FAIL',
      'the failure function to fail',
    );
    expect(counts['flaky/failure']).toBe(1);

    failureFunctionBroken = false;
    const retried = await client.dlq.retryFailureFunction({
      dlqId: failed.dlqId!,
    });
    expect(retried.workflowRunId).toBe(workflowRunId);
    await waitForRun(
      client,
      workflowRunId,
      r => r.failureFunction?.state === 'CALLBACK_SUCCESS',
      'the retried failure function',
    );
    expect(counts['flaky/failure']).toBe(2);
  });

  it('sleeps with context.sleep until the time comes', async () => {
    const client = workflowClient(server);
    const { workflowRunId, sleeping } = await startSleepingRun(client);
    expect(stepsOf(sleeping, 'next')[0]).toMatchObject({
      state: 'STEP_PROGRESS',
    });

    await server.runDue(Date.now() + 59 * 60_000);
    expect(counts['sleepy/after']).toBeUndefined();

    await server.runDue(Date.now() + 61 * 60_000);
    const run = await waitForRun(client, workflowRunId, succeeded);
    expect(counts).toEqual({ 'sleepy/before': 1, 'sleepy/after': 1 });
    const nap = finishedStep(run, 'nap');
    expect(nap).toMatchObject({ stepType: 'SleepFor', state: 'STEP_SUCCESS' });
  });

  it('cancel stops a sleeping run', async () => {
    const client = workflowClient(server);
    const { workflowRunId } = await startSleepingRun(client);

    expect(await client.cancel({ ids: workflowRunId })).toEqual({
      cancelled: 1,
    });
    await server.runDue(Date.now() + 2 * 3_600_000);

    const [run] = (await client.logs({ workflowRunId })).runs;
    expect(run.workflowState).toBe('RUN_CANCELED');
    expect(stepsOf(run, 'next')).toEqual([
      expect.objectContaining({ stepName: 'nap', state: 'STEP_CANCELED' }),
    ]);
    expect(counts['sleepy/after']).toBeUndefined();
  });

  it('runs parallel steps once each and groups them in the logs', async () => {
    const client = workflowClient(server);
    const { run } = await runToSuccess(client, { url: `${app.url}/parallel` });

    expect(counts).toEqual({
      'parallel/a': 1,
      'parallel/b': 1,
      'parallel/c': 1,
      'parallel/join': 1,
    });
    const parallel = run.steps.filter(group => group.type === 'parallel');
    expect(parallel).toHaveLength(1);
    expect(parallel[0].steps.map(step => step.stepName)).toEqual([
      'branch-a',
      'branch-b',
      'branch-c',
    ]);
    const join = finishedStep(run, 'join');
    expect(join?.out).toBe(JSON.stringify('ABC'));
  });

  it('performs context.call and hands the response back to the workflow', async () => {
    const client = workflowClient(server);
    const { run } = await runToSuccess(client, {
      url: `${app.url}/caller`,
      body: { path: '/answer' },
    });

    const [call] = external.to('/answer');
    expect(call.method).toBe('POST');
    expect(call.headers['x-asked-by']).toBe('workflow');
    expect(JSON.parse(call.text)).toEqual({ question: 42 });
    const ask = finishedStep(run, 'ask');
    expect(ask).toMatchObject({
      stepType: 'Call',
      callUrl: `${external.url}/answer`,
      callMethod: 'POST',
      callResponseStatus: 201,
    });
    const use = finishedStep(run, 'use-answer');
    expect(use?.out).toBe('201');
  });

  it('passes a failing context.call response to the workflow instead of failing the run', async () => {
    const client = workflowClient(server);
    const { run } = await runToSuccess(client, {
      url: `${app.url}/caller`,
      body: { path: '/teapot' },
    });
    const use = finishedStep(run, 'use-answer');
    expect(use?.out).toBe('418');
    expect(run.dlqId).toBeUndefined();
  });

  it('serves the run steps for the SDK lazy fetch while a run is going', async () => {
    const client = workflowClient(server);
    const api = apiClient(server.url, server.token);
    const { workflowRunId } = await client.trigger({
      url: `${app.url}/sleepy`,
    });
    const steps = await waitFor(async () => {
      const response = await api.get(`/v2/workflows/runs/${workflowRunId}`);
      return (
        response.status === 200 && response.json.length >= 3 && response.json
      );
    });
    expect(steps[0].callType).toBe('step');
    const decoded = JSON.parse(
      Buffer.from(steps[2].body, 'base64').toString('utf8'),
    );
    expect(decoded).toMatchObject({ stepName: 'nap', stepType: 'SleepFor' });

    await client.cancel({ ids: workflowRunId });
    expect((await api.get(`/v2/workflows/runs/${workflowRunId}`)).status).toBe(
      404,
    );
  });
});

describe('bulk workflow calls of the official Client', () => {
  let server: QStashLocal;
  let app: WorkflowApp;
  let client: WorkflowClient;

  beforeEach(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    jest.spyOn(console, 'warn').mockImplementation(() => {});
    // A server per test: `{ all: true }` acts on everything there is.
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    const options = serveOptions(server);
    app = await startWorkflowApp({
      '/sleepy': serve(async context => {
        await context.sleep('nap', '1h');
      }, options),
      '/broken': serve(async context => {
        await context.run('only', () => {
          throw new Error('always broken');
        });
      }, options),
    });
    client = workflowClient(server);
  });

  afterEach(async () => {
    await app.close();
    await server.close();
    jest.restoreAllMocks();
  });

  const failedRuns = async (n: number) => {
    const dlqIds: string[] = [];
    for (let i = 0; i < n; i++) {
      const { workflowRunId } = await client.trigger({
        url: `${app.url}/broken`,
        retries: 0,
      });
      const run = await waitForRun(
        client,
        workflowRunId,
        r => r.workflowState === 'RUN_FAILED' && Boolean(r.dlqId),
      );
      dlqIds.push(run.dlqId!);
    }
    return dlqIds;
  };

  it('cancels every running run with { all: true }', async () => {
    const runIds = [];
    for (let i = 0; i < 2; i++) {
      const { workflowRunId } = await client.trigger({
        url: `${app.url}/sleepy`,
      });
      await waitForRun(
        client,
        workflowRunId,
        r => stepsOf(r, 'next').some(step => step.stepName === 'nap'),
        'the run to sleep',
      );
      runIds.push(workflowRunId);
    }
    expect(await client.cancel({ all: true })).toEqual({ cancelled: 2 });
    for (const workflowRunId of runIds) {
      const [run] = (await client.logs({ workflowRunId })).runs;
      expect(run.workflowState).toBe('RUN_CANCELED');
    }
  });

  it('restarts and deletes the whole workflow DLQ with { all: true }', async () => {
    await failedRuns(2);
    const restarted = await client.dlq.restart({ all: true });
    expect(restarted.workflowRuns).toHaveLength(2);
    expect(restarted.cursor).toBeUndefined();
    // The restarted runs fail again and come back as new dead letters.
    for (const { workflowRunId } of restarted.workflowRuns) {
      await waitForRun(
        client,
        workflowRunId,
        r => r.workflowState === 'RUN_FAILED' && Boolean(r.dlqId),
      );
    }
    expect(await client.dlq.delete({ all: true })).toEqual({ deleted: 2 });
    expect((await client.dlq.list()).messages).toEqual([]);
  });

  it('acts on the known ids of a bulk workflow DLQ call and skips unknown ones', async () => {
    const [one, two] = await failedRuns(2);
    expect(await client.dlq.delete([one, 'dlq_unknown'])).toEqual({
      deleted: 1,
    });
    const resumed = await client.dlq.resume([two, 'dlq_unknown']);
    expect(resumed.workflowRuns).toHaveLength(1);
    // The resumed run fails again; let it finish before the server goes.
    await waitForRun(
      client,
      resumed.workflowRuns[0].workflowRunId,
      r => r.workflowState === 'RUN_FAILED' && Boolean(r.dlqId),
    );
    await expect(client.dlq.resume(['dlq_unknown'])).rejects.toMatchObject({
      status: 404,
    });
  });
});
