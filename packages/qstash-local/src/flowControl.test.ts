import { Client } from '@upstash/qstash';
import { serve } from '@upstash/workflow/express';
import { apiClient } from './__testUtils__/apiClient';
import { holdReplies } from './__testUtils__/heldReplies';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { sleep, waitFor } from './__testUtils__/waitFor';
import { WorkflowApp, startWorkflowApp } from './__testUtils__/workflowApp';
import {
  serveOptions,
  waitForRun,
  workflowClient,
} from './__testUtils__/workflowFixtures';
import { QStashLocal, startQStashLocal } from './index';

/** Long enough for a wrongly released message to reach the endpoint. */
const SETTLE_MS = 300;

// The SDK reports every non-2xx answer on the console; some are expected here.
beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => {}));
afterAll(() => jest.restoreAllMocks());

describe('flow control parallelism', () => {
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let client: Client;

  beforeAll(async () => {
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    endpoint = await startRecordingEndpoint();
    client = new Client({ baseUrl: server.url, token: server.token });
  });

  afterAll(async () => {
    await endpoint.close();
    await server.close();
  });

  it('keeps at most `parallelism` messages of a key in flight; the rest wait', async () => {
    const hold = holdReplies(endpoint);
    try {
      for (let n = 1; n <= 5; n++) {
        await client.publish({
          url: `${endpoint.url}/hold/par`,
          body: `${n}`,
          flowControl: { key: 'par-key', parallelism: 2 },
        });
      }
      // Messages without the key are not held back by it.
      await client.publish({ url: `${endpoint.url}/free`, body: 'free' });
      await endpoint.waitForCount(1, '/free');
      await endpoint.waitForCount(2, '/hold/par');
      await sleep(SETTLE_MS);
      expect(hold.held).toHaveLength(2);
      expect(await client.flowControl.get('par-key')).toMatchObject({
        flowControlKey: 'par-key',
        parallelismMax: 2,
        parallelismCount: 2,
        waitListSize: 3,
        isPaused: false,
      });

      while (endpoint.to('/hold/par').length < 5 || hold.held.length) {
        if (hold.held.length) hold.releaseFirst();
        await sleep(20);
      }
      expect(hold.maxHeld).toBe(2);
      await waitFor(
        async () =>
          (await client.flowControl.get('par-key')).parallelismCount === 0,
      );
      expect((await client.flowControl.get('par-key')).waitListSize).toBe(0);
    } finally {
      hold.releaseAll();
    }
  });

  it('reports the global parallelism', async () => {
    expect(await client.flowControl.getGlobalParallelism()).toEqual({
      parallelismMax: 64,
      parallelismCount: 0,
    });
  });
});

describe('flow control rates on a controlled clock', () => {
  let fakeNow: number;
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let client: Client;

  const publishFive = async (key: string, path: string) => {
    for (let n = 1; n <= 5; n++) {
      await client.publish({
        url: `${endpoint.url}${path}`,
        body: `${n}`,
        flowControl: { key, rate: 2, period: '1m' },
      });
    }
  };

  beforeAll(async () => {
    fakeNow = Date.UTC(2026, 0, 5, 9, 0, 0);
    server = await startQStashLocal({ now: () => fakeNow });
    endpoint = await startRecordingEndpoint();
    client = new Client({ baseUrl: server.url, token: server.token });
  });

  afterAll(async () => {
    await endpoint.close();
    await server.close();
  });

  it('starts at most `rate` messages per period; the others wait for the next', async () => {
    await publishFive('rate-key', '/rate');
    await server.runDue();
    // Messages started in one period are in flight together: any order.
    const arrived = () =>
      endpoint
        .to('/rate')
        .map(r => r.text)
        .sort();
    expect(arrived()).toEqual(['1', '2']);
    expect(await client.flowControl.get('rate-key')).toMatchObject({
      rateMax: 2,
      rateCount: 2,
      ratePeriod: 60,
      ratePeriodStart: Math.floor(fakeNow / 1000),
      waitListSize: 3,
    });

    fakeNow += 59_000;
    await server.runDue();
    expect(endpoint.to('/rate')).toHaveLength(2);

    fakeNow += 1_000;
    await server.runDue();
    expect(arrived()).toEqual(['1', '2', '3', '4']);

    fakeNow += 60_000;
    await server.runDue();
    expect(endpoint.to('/rate')).toHaveLength(5);
    expect((await client.flowControl.get('rate-key')).waitListSize).toBe(0);
  });

  it('pauses and resumes a key, resets its rate and pins its settings', async () => {
    await expect(client.flowControl.pause('ops-key')).rejects.toMatchObject({
      status: 404,
    });

    await publishFive('ops-key', '/ops');
    await server.runDue();
    expect(endpoint.to('/ops')).toHaveLength(2);

    await client.flowControl.pause('ops-key');
    fakeNow += 60_000;
    await server.runDue();
    expect(endpoint.to('/ops')).toHaveLength(2);
    expect(await client.flowControl.get('ops-key')).toMatchObject({
      isPaused: true,
      waitListSize: 3,
    });

    await client.flowControl.resume('ops-key');
    await server.runDue();
    expect(endpoint.to('/ops')).toHaveLength(4);

    // A reset ends the period at once.
    await client.flowControl.resetRate('ops-key');
    await server.runDue();
    expect(endpoint.to('/ops')).toHaveLength(5);

    // A pinned rate wins over what new messages say.
    await client.flowControl.pin('ops-key', { rate: 10, period: 60 });
    await client.publish({
      url: `${endpoint.url}/ops`,
      body: '6',
      flowControl: { key: 'ops-key', rate: 1, period: '1h' },
    });
    await server.runDue();
    expect(endpoint.to('/ops')).toHaveLength(6);
    expect(await client.flowControl.get('ops-key')).toMatchObject({
      rateMax: 10,
      ratePeriod: 60,
      isPinnedRate: true,
      isPinnedParallelism: false,
    });

    // Unpinned, the next message's settings apply again.
    await client.flowControl.unpin('ops-key', { rate: true });
    await client.publish({
      url: `${endpoint.url}/ops`,
      body: '7',
      flowControl: { key: 'ops-key', rate: 1, period: '1h' },
    });
    expect(await client.flowControl.get('ops-key')).toMatchObject({
      rateMax: 1,
      ratePeriod: 3600,
      isPinnedRate: false,
    });
    // The SDK has no call for the list.
    const listed = await apiClient(server.url, server.token).get(
      '/v2/flowControl',
    );
    expect(
      (listed.json as Array<{ flowControlKey: string }>).map(
        k => k.flowControlKey,
      ),
    ).toEqual(expect.arrayContaining(['rate-key', 'ops-key']));
  });

  it('applies a schedule’s flow control to every tick it fires', async () => {
    const { scheduleId } = await client.schedules.create({
      destination: `${endpoint.url}/ticks`,
      cron: '* * * * *',
      flowControl: { key: 'tick-key', rate: 1, period: '1h' },
    });
    expect(await client.schedules.get(scheduleId)).toMatchObject({
      flowControlKey: 'tick-key',
      rate: 1,
      period: 3600,
    });
    fakeNow += 3 * 60_000;
    await server.runDue();
    expect(endpoint.to('/ticks')).toHaveLength(1);
    expect((await client.flowControl.get('tick-key')).waitListSize).toBe(2);
    await client.schedules.delete(scheduleId);

    fakeNow += 3_600_000;
    await server.runDue();
    expect(endpoint.to('/ticks')).toHaveLength(2);
  });

  it('holds a message that is in a queue and under a key until both allow it', async () => {
    const queue = client.queue({ queueName: 'fc-queue' });
    await queue.upsert({ parallelism: 5 });
    for (let n = 1; n <= 3; n++) {
      await queue.enqueue({
        url: `${endpoint.url}/both`,
        body: `${n}`,
        flowControl: { key: 'both-key', rate: 1, period: '1m' },
      });
    }
    await server.runDue();
    expect(endpoint.to('/both').map(r => r.text)).toEqual(['1']);
    fakeNow += 60_000;
    await server.runDue();
    expect(endpoint.to('/both').map(r => r.text)).toEqual(['1', '2']);
  });
});

describe('flow control of workflow runs', () => {
  let fakeNow: number;
  let server: QStashLocal;
  let app: WorkflowApp;
  const stepsRun: string[] = [];

  beforeAll(async () => {
    fakeNow = Date.UTC(2026, 0, 5, 9, 0, 0);
    server = await startQStashLocal({ now: () => fakeNow });
    app = await startWorkflowApp({
      '/limited': serve(async context => {
        await context.run('one', () => stepsRun.push('one'));
        await context.run('two', () => stepsRun.push('two'));
      }, serveOptions(server)),
    });
  });

  afterAll(async () => {
    await app.close();
    await server.close();
  });

  it('applies the trigger’s flow control to every step of the run', async () => {
    const client = workflowClient(server);
    const { workflowRunId } = await client.trigger({
      url: `${app.url}/limited`,
      flowControl: { key: 'wf-key', rate: 1, period: '1h' },
    });
    const qstash = new Client({ baseUrl: server.url, token: server.token });

    await server.runDue();
    expect(stepsRun).toEqual(['one']);
    expect((await qstash.flowControl.get('wf-key')).waitListSize).toBe(1);

    fakeNow += 3_600_000;
    await server.runDue();
    expect(stepsRun).toEqual(['one', 'two']);

    fakeNow += 3_600_000;
    await server.runDue();
    await waitForRun(
      client,
      workflowRunId,
      run => run.workflowState === 'RUN_SUCCESS',
    );
    const { logs } = await qstash.logs({
      filter: { flowControlKey: 'wf-key', state: 'DELIVERED' },
    });
    expect(logs.length).toBeGreaterThanOrEqual(3);
  });
});
