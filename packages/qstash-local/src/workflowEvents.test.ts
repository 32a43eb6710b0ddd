import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as WorkflowClient } from '@upstash/workflow';
import { serve } from '@upstash/workflow/express';
import { ApiClient, apiClient } from './__testUtils__/apiClient';
import { waitFor } from './__testUtils__/waitFor';
import { WorkflowApp, startWorkflowApp } from './__testUtils__/workflowApp';
import {
  RunLog,
  serveOptions,
  waitForRun,
  workflowClient,
} from './__testUtils__/workflowFixtures';
import { QStashLocal, startQStashLocal } from './index';

jest.setTimeout(30_000);

/** The step fields these tests read. */
interface LoggedStep {
  stepName?: string;
  stepType?: string;
  state: string;
  out?: unknown;
  waitEventId?: string;
  waitTimeout?: boolean;
  waitTimeoutDuration?: string;
  waitTimeoutDeadline?: number;
}

function stepsOf(run: RunLog, type: string): LoggedStep[] {
  return run.steps
    .filter(group => group.type === type)
    .flatMap(group => group.steps as LoggedStep[]);
}

// The delivery that registered the wait shows in `next` until its handler
// answers; the run waits once the wait step is all that is left there.
const waiting = (run: RunLog) => {
  const next = stepsOf(run, 'next');
  return (
    next.length > 0 && next.every(step => step.stepName === 'wait-approval')
  );
};
const succeeded = (run: RunLog) => run.workflowState === 'RUN_SUCCESS';

interface Seen {
  eventData: unknown;
  timeout: boolean;
}

const HOUR = 3_600_000;

/** Workflows that wait for `approval-<id>`, keyed by run id in `seen`. */
function eventWorkflows(server: QStashLocal, seen: Map<string, Seen>) {
  const options = serveOptions(server);
  return {
    '/approval': serve<{ id: string }>(async context => {
      await context.run('before', () => 'prepared');
      const result = await context.waitForEvent(
        'wait-approval',
        `approval-${context.requestPayload.id}`,
        { timeout: '1h' },
      );
      await context.run('after', () => {
        seen.set(context.workflowRunId, result);
        return result.timeout ? 'timed out' : 'approved';
      });
    }, options),
    '/notifier': serve<{ id: string }>(async context => {
      const { notifyResponse } = await context.notify(
        'notify',
        `approval-${context.requestPayload.id}`,
        { from: 'a workflow' },
      );
      await context.run('count', () => {
        seen.set(context.workflowRunId, {
          eventData: notifyResponse.length,
          timeout: false,
        });
      });
    }, options),
    '/parallel-waits': serve<{ id: string }>(async context => {
      const [left, right] = await Promise.all([
        context.waitForEvent('wait-left', `left-${context.requestPayload.id}`),
        context.waitForEvent(
          'wait-right',
          `right-${context.requestPayload.id}`,
        ),
      ]);
      await context.run('join', () => {
        seen.set(context.workflowRunId, {
          eventData: [left.eventData, right.eventData],
          timeout: left.timeout || right.timeout,
        });
      });
    }, options),
    '/late-wait': serve<{ id: string }>(async context => {
      await context.sleep('nap', '10m');
      const result = await context.waitForEvent(
        'wait-approval',
        `approval-${context.requestPayload.id}`,
        { timeout: 600 },
      );
      await context.run('after', () => {
        seen.set(context.workflowRunId, result);
      });
    }, options),
  };
}

describe('workflow events: waitForEvent, notify and waiters', () => {
  let fakeNow = Date.now();
  let server: QStashLocal;
  let app: WorkflowApp;
  let client: WorkflowClient;
  let api: ApiClient;
  const seen = new Map<string, Seen>();

  /** Triggers /approval for `id` and waits until the run waits for its event. */
  async function startWaitingRun(id: string, route = '/approval') {
    const { workflowRunId } = await client.trigger({
      url: `${app.url}${route}`,
      body: { id },
    });
    const run = await waitForRun(
      client,
      workflowRunId,
      waiting,
      'the run to wait',
    );
    return { workflowRunId, run };
  }

  beforeAll(async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => {});
    server = await startQStashLocal({
      now: () => fakeNow,
      retryTimeScale: 0.0001,
    });
    app = await startWorkflowApp(eventWorkflows(server, seen));
    client = workflowClient(server);
    api = apiClient(server.url, server.token);
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
    jest.restoreAllMocks();
  });

  it('wakes a waiting run with Client.notify and hands it the event data', async () => {
    const { workflowRunId, run } = await startWaitingRun('a1');
    expect(run.workflowState).toBe('RUN_STARTED');
    expect(stepsOf(run, 'next')).toEqual([
      expect.objectContaining({
        stepName: 'wait-approval',
        stepType: 'Wait',
        state: 'STEP_PROGRESS',
        waitEventId: 'approval-a1',
        waitTimeoutDuration: '1h',
        waitTimeoutDeadline: fakeNow + HOUR,
      }),
    ]);

    const waiters = await client.getWaiters({ eventId: 'approval-a1' });
    expect(waiters).toEqual([
      expect.objectContaining({
        url: `${app.url}/approval`,
        deadline: Math.floor((fakeNow + HOUR) / 1000),
        timeoutUrl: `${app.url}/approval`,
      }),
    ]);
    expect(waiters[0].headers['Upstash-Workflow-Runid']).toEqual([
      workflowRunId,
    ]);
    // The wait request's credentials are never shown.
    expect(JSON.stringify(waiters).toLowerCase()).not.toContain(
      server.token.toLowerCase(),
    );

    const notified = await client.notify({
      eventId: 'approval-a1',
      eventData: { approved: true, by: 'ada' },
    });
    expect(notified).toEqual([
      expect.objectContaining({
        messageId: expect.stringMatching(/^msg_/),
        waiter: expect.objectContaining({ url: `${app.url}/approval` }),
        workflowRunId,
      }),
    ]);

    const done = await waitForRun(client, workflowRunId, succeeded);
    expect(seen.get(workflowRunId)).toEqual({
      eventData: { approved: true, by: 'ada' },
      timeout: false,
    });
    expect(
      stepsOf(done, 'sequential').find(s => s.stepName === 'wait-approval'),
    ).toMatchObject({
      stepType: 'Wait',
      state: 'STEP_SUCCESS',
      waitEventId: 'approval-a1',
      waitTimeout: false,
      out: JSON.stringify({ approved: true, by: 'ada' }),
    });
    expect(await client.getWaiters({ eventId: 'approval-a1' })).toEqual([]);
  });

  it('wakes a waiting run with context.notify from another workflow', async () => {
    const waiter = await startWaitingRun('from-workflow');
    const { workflowRunId: notifierId } = await client.trigger({
      url: `${app.url}/notifier`,
      body: { id: 'from-workflow' },
    });
    await waitForRun(client, notifierId, succeeded);
    await waitForRun(client, waiter.workflowRunId, succeeded);
    expect(seen.get(notifierId)?.eventData).toBe(1);
    expect(seen.get(waiter.workflowRunId)).toEqual({
      eventData: { from: 'a workflow' },
      timeout: false,
    });
  });

  it('waits for two events in parallel branches', async () => {
    const { workflowRunId } = await client.trigger({
      url: `${app.url}/parallel-waits`,
      body: { id: 'p1' },
    });
    await waitFor(
      async () =>
        (await client.getWaiters({ eventId: 'left-p1' })).length === 1 &&
        (await client.getWaiters({ eventId: 'right-p1' })).length === 1,
      { what: 'both branches to wait' },
    );
    await client.notify({ eventId: 'right-p1', eventData: 'R' });
    await client.notify({ eventId: 'left-p1', eventData: 'L' });
    await waitForRun(client, workflowRunId, succeeded);
    expect(seen.get(workflowRunId)).toEqual({
      eventData: ['L', 'R'],
      timeout: false,
    });
  });

  it('answers a notify nobody waits for with an empty list', async () => {
    expect(await client.notify({ eventId: 'nobody-waits' })).toEqual([]);
  });

  it('ends the wait with timeout: true when the timeout passes', async () => {
    const { workflowRunId } = await startWaitingRun('t1');

    await server.runDue(fakeNow + HOUR - 1000);
    expect(seen.has(workflowRunId)).toBe(false);
    expect(await client.getWaiters({ eventId: 'approval-t1' })).toHaveLength(1);

    fakeNow += HOUR + 1000;
    await server.runDue();
    const done = await waitForRun(client, workflowRunId, succeeded);
    expect(seen.get(workflowRunId)).toEqual({
      eventData: undefined,
      timeout: true,
    });
    expect(
      stepsOf(done, 'sequential').find(s => s.stepName === 'wait-approval'),
    ).toMatchObject({ waitTimeout: true, state: 'STEP_SUCCESS' });
    expect(await client.getWaiters({ eventId: 'approval-t1' })).toEqual([]);
  });

  it('notifies only the named run when a workflowRunId is given', async () => {
    const first = await startWaitingRun('shared');
    const second = await startWaitingRun('shared');
    expect(
      await client.getWaiters({ eventId: 'approval-shared' }),
    ).toHaveLength(2);

    const answer = await api.post(
      `/v2/notify/${first.workflowRunId}/approval-shared`,
      { body: '"first only"' },
    );
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      workflowRunId: first.workflowRunId,
      messageId: expect.stringMatching(/^msg_/),
      waiter: expect.objectContaining({ url: `${app.url}/approval` }),
    });
    await waitForRun(client, first.workflowRunId, succeeded);
    expect(seen.get(first.workflowRunId)?.eventData).toBe('first only');

    const [left] = (await client.logs({ workflowRunId: second.workflowRunId }))
      .runs;
    expect(waiting(left)).toBe(true);
    expect(seen.has(second.workflowRunId)).toBe(false);
    expect(
      (await client.getWaiters({ eventId: 'approval-shared' })).map(
        w => w.headers['Upstash-Workflow-Runid'],
      ),
    ).toEqual([[second.workflowRunId]]);

    await client.notify({ eventId: 'approval-shared', eventData: 'rest' });
    await waitForRun(client, second.workflowRunId, succeeded);
    expect(seen.get(second.workflowRunId)?.eventData).toBe('rest');
  });

  it('keeps a notification for a run until it waits for the event', async () => {
    const { workflowRunId } = await client.trigger({
      url: `${app.url}/late-wait`,
      body: { id: 'early' },
    });
    await waitForRun(
      client,
      workflowRunId,
      run => stepsOf(run, 'next').some(step => step.stepName === 'nap'),
      'the run to sleep',
    );

    const saved = await client.notify({
      eventId: 'approval-early',
      eventData: { early: true },
      workflowRunId,
    });
    // The run form answers one object (the OpenAPI's NotifyResponse), here without a waiter.
    expect(saved).toMatchObject({ workflowRunId });
    expect(saved).not.toHaveProperty('waiter');

    await server.runDue(fakeNow + 11 * 60_000);
    await waitForRun(client, workflowRunId, succeeded);
    expect(seen.get(workflowRunId)).toEqual({
      eventData: { early: true },
      timeout: false,
    });
    expect(await client.getWaiters({ eventId: 'approval-early' })).toEqual([]);
  });

  it('removes the waiters of a canceled run', async () => {
    const { workflowRunId } = await startWaitingRun('c1');
    expect(await client.getWaiters({ eventId: 'approval-c1' })).toHaveLength(1);

    await client.cancel({ ids: workflowRunId });
    expect(await client.getWaiters({ eventId: 'approval-c1' })).toEqual([]);
    expect(await client.notify({ eventId: 'approval-c1' })).toEqual([]);
    await server.runDue(fakeNow + 2 * HOUR);

    const [run] = (await client.logs({ workflowRunId })).runs;
    expect(run.workflowState).toBe('RUN_CANCELED');
    expect(stepsOf(run, 'next')).toEqual([]);
    expect(seen.has(workflowRunId)).toBe(false);
  });

  it('refuses bad input with 400 naming the field', async () => {
    for (const emptyIdPath of [
      '/v2/notify/',
      '/v2/wait/',
      '/v2/notify/wfr_x/',
    ]) {
      const response = await api.post(emptyIdPath, { body: '{}' });
      expect({
        emptyIdPath,
        ...response.json,
        status: response.status,
      }).toEqual({
        emptyIdPath,
        status: 400,
        error: expect.stringContaining('missing eventId'),
      });
    }
    const noWaitersId = await api.get('/v2/waiters/');
    expect(noWaitersId.status).toBe(400);
    expect(noWaitersId.json.error).toContain('eventId');
    const noRunId = await api.post('/v2/notify//evt');
    expect(noRunId.status).toBe(400);
    expect(noRunId.json.error).toContain('workflowRunId');

    const { workflowRunId } = await startWaitingRun('bad');
    const headers = {
      'content-type': 'application/json',
      'upstash-workflow-runid': workflowRunId,
      'upstash-workflow-url': `${app.url}/approval`,
    };
    const waitBody = (timeout: unknown) =>
      JSON.stringify({
        url: `${app.url}/approval`,
        timeout,
        step: {
          stepId: 9,
          stepName: 'x',
          stepType: 'Wait',
          concurrent: 1,
        },
      });
    for (const timeout of ['soon', 0, -5, '', null]) {
      const response = await api.post('/v2/wait/evt', {
        body: waitBody(timeout),
        headers,
      });
      expect({ timeout, status: response.status }).toEqual({
        timeout,
        status: 400,
      });
      expect(response.json.error).toContain('timeout');
    }
    const noRun = await api.post('/v2/wait/evt', {
      body: waitBody('1m'),
      headers: { 'content-type': 'application/json' },
    });
    expect(noRun.status).toBe(400);
    expect(noRun.json.error).toContain('Upstash-Workflow-RunId');
    const badUrl = await api.post('/v2/wait/evt', {
      body: waitBody('1m').replace(`"${app.url}/approval"`, '"not-a-url"'),
      headers,
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.json.error).toContain('field url');
    const notJson = await api.post('/v2/wait/evt', { body: 'nope', headers });
    expect(notJson.status).toBe(400);
    const spaced = await api.post('/v2/notify/has%20space');
    expect(spaced.status).toBe(400);
    expect(spaced.json.error).toContain('eventId');

    const unknownRun = await api.post('/v2/notify/wfr_unknown/evt', {
      body: 'x',
    });
    expect(unknownRun.status).toBe(404);
    expect(unknownRun.json.error).toContain('wfr_unknown');

    await client.cancel({ ids: workflowRunId });
    const finishedRun = await api.post(`/v2/notify/${workflowRunId}/evt`);
    expect(finishedRun.status).toBe(400);
    expect(finishedRun.json.error).toContain('not running');
    const waitOnFinished = await api.post('/v2/wait/evt', {
      body: waitBody('1m'),
      headers,
    });
    expect(waitOnFinished.status).toBe(400);
    expect(waitOnFinished.json.error).toContain('not running');
  });
});

describe('workflow events across a restart', () => {
  let directory: string;

  beforeAll(() => {
    // The SDK warns when a kept-alive connection to the stopped server fails once.
    jest.spyOn(console, 'warn').mockImplementation(() => {});
  });

  afterAll(() => {
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'qstash-local-events-'));
  });

  afterEach(() => {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('keeps waiters: a notify and a timeout after the restart still end them', async () => {
    let fakeNow = Date.now();
    const dataFile = path.join(directory, 'qstash.sqlite');
    const seen = new Map<string, Seen>();
    const first = await startQStashLocal({
      dataFile,
      now: () => fakeNow,
      retryTimeScale: 0.0001,
    });
    const port = Number(new URL(first.url).port);
    // The workflow endpoints keep talking to the same address and credentials.
    const app = await startWorkflowApp(eventWorkflows(first, seen));
    let second: QStashLocal | undefined;
    try {
      const firstClient = workflowClient(first);
      const runIds: string[] = [];
      for (const id of ['kept-notify', 'kept-timeout']) {
        const { workflowRunId } = await firstClient.trigger({
          url: `${app.url}/approval`,
          body: { id },
        });
        await waitForRun(firstClient, workflowRunId, waiting);
        runIds.push(workflowRunId);
      }
      await first.close();

      second = await startQStashLocal({
        dataFile,
        port,
        now: () => fakeNow,
        retryTimeScale: 0.0001,
      });
      const client = workflowClient(second);
      expect(
        await client.getWaiters({ eventId: 'approval-kept-notify' }),
      ).toHaveLength(1);

      await client.notify({ eventId: 'approval-kept-notify', eventData: 42 });
      await waitForRun(client, runIds[0], succeeded);
      expect(seen.get(runIds[0])).toEqual({ eventData: 42, timeout: false });

      fakeNow += 2 * HOUR;
      await second.runDue();
      await waitForRun(client, runIds[1], succeeded);
      expect(seen.get(runIds[1])).toEqual({
        eventData: undefined,
        timeout: true,
      });
    } finally {
      await app.close();
      await first.close();
      await second?.close();
    }
  });

  it('fires a timeout on its own timer after a restart', async () => {
    const dataFile = path.join(directory, 'qstash.sqlite');
    const seen = new Map<string, Seen>();
    const first = await startQStashLocal({ dataFile, retryTimeScale: 0.0001 });
    const port = Number(new URL(first.url).port);
    const app = await startWorkflowApp({
      '/quick': serve(async context => {
        const result = await context.waitForEvent('wait-approval', 'quick', {
          timeout: 2,
        });
        await context.run('after', () => {
          seen.set(context.workflowRunId, result);
        });
      }, serveOptions(first)),
    });
    let second: QStashLocal | undefined;
    try {
      const { workflowRunId } = await workflowClient(first).trigger({
        url: `${app.url}/quick`,
      });
      await waitForRun(workflowClient(first), workflowRunId, waiting);
      await first.close();
      second = await startQStashLocal({
        dataFile,
        port,
        retryTimeScale: 0.0001,
      });
      // No runDue: the server's own timer ends the wait.
      await waitFor(() => seen.get(workflowRunId), {
        what: 'the wait to time out',
        timeoutMs: 10_000,
      });
      expect(seen.get(workflowRunId)?.timeout).toBe(true);
    } finally {
      await app.close();
      await first.close();
      await second?.close();
    }
  });
});
