import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@upstash/qstash';
import { holdReplies } from './__testUtils__/heldReplies';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { sleep, waitFor } from './__testUtils__/waitFor';
import { QStashLocal, startQStashLocal } from './index';

/** Long enough for a wrongly released message to reach the endpoint. */
const SETTLE_MS = 300;

describe('queues through the official Client', () => {
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let client: Client;
  let hold: ReturnType<typeof holdReplies>;

  beforeAll(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    endpoint = await startRecordingEndpoint();
    client = new Client({ baseUrl: server.url, token: server.token });
  });

  beforeEach(() => {
    hold = holdReplies(endpoint);
  });

  afterEach(() => hold.releaseAll());

  afterAll(async () => {
    await endpoint.close();
    await server.close();
    jest.restoreAllMocks();
  });

  it('delivers in order with parallelism 1: a slow first message holds the second', async () => {
    const queue = client.queue({ queueName: 'fifo' });
    const first = await queue.enqueueJSON({
      url: `${endpoint.url}/hold/fifo`,
      body: { n: 1 },
    });
    const second = await queue.enqueueJSON({
      url: `${endpoint.url}/hold/fifo`,
      body: { n: 2 },
    });
    expect(first.messageId).not.toBe(second.messageId);

    await endpoint.waitForCount(1, '/hold/fifo');
    await sleep(SETTLE_MS);
    expect(endpoint.to('/hold/fifo').map(r => JSON.parse(r.text))).toEqual([
      { n: 1 },
    ]);
    expect(await queue.get()).toMatchObject({
      name: 'fifo',
      parallelism: 1,
      paused: false,
      lag: 1,
    });

    hold.releaseFirst();
    await endpoint.waitForCount(2, '/hold/fifo');
    expect(
      endpoint.to('/hold/fifo').map(r => r.headers['upstash-message-id']),
    ).toEqual([first.messageId, second.messageId]);
    hold.releaseFirst();
    await waitFor(async () => (await queue.get()).lag === 0);
    expect(hold.maxHeld).toBe(1);
  });

  it('keeps many messages in enqueue order', async () => {
    const queue = client.queue({ queueName: 'order' });
    for (let n = 0; n < 20; n++) {
      await queue.enqueue({ url: `${endpoint.url}/order`, body: String(n) });
    }
    const received = await endpoint.waitForCount(20, '/order');
    expect(received.map(r => r.text)).toEqual(
      Array.from({ length: 20 }, (_, n) => String(n)),
    );
  });

  it('allows two in flight with parallelism 2, never three', async () => {
    const queue = client.queue({ queueName: 'pair' });
    await queue.upsert({ parallelism: 2 });
    for (let n = 1; n <= 5; n++) {
      await queue.enqueue({ url: `${endpoint.url}/hold/pair`, body: `${n}` });
    }
    await endpoint.waitForCount(2, '/hold/pair');
    await sleep(SETTLE_MS);
    expect(hold.held.map(r => r.text)).toEqual(['1', '2']);
    expect((await queue.get()).lag).toBe(3);

    hold.releaseFirst();
    await endpoint.waitForCount(3, '/hold/pair');
    await sleep(SETTLE_MS);
    expect(hold.held.map(r => r.text)).toEqual(['2', '3']);

    while (endpoint.to('/hold/pair').length < 5 || hold.held.length) {
      if (hold.held.length) hold.releaseFirst();
      await sleep(20);
    }
    expect(hold.maxHeld).toBe(2);
    expect(endpoint.to('/hold/pair').map(r => r.text)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
  });

  it('holds delivery while paused and releases it on resume', async () => {
    const queue = client.queue({ queueName: 'paused' });
    await queue.upsert({ parallelism: 1, paused: true });
    await queue.enqueue({ url: `${endpoint.url}/paused`, body: 'a' });
    await queue.enqueue({ url: `${endpoint.url}/paused`, body: 'b' });
    await sleep(SETTLE_MS);
    expect(endpoint.to('/paused')).toHaveLength(0);
    expect(await queue.get()).toMatchObject({ paused: true, lag: 2 });

    await queue.resume();
    const received = await endpoint.waitForCount(2, '/paused');
    expect(received.map(r => r.text)).toEqual(['a', 'b']);
    expect(await queue.get()).toMatchObject({ paused: false, lag: 0 });

    await queue.pause();
    await queue.enqueue({ url: `${endpoint.url}/paused`, body: 'c' });
    await sleep(SETTLE_MS);
    expect(endpoint.to('/paused')).toHaveLength(2);
    await queue.resume();
    await endpoint.waitForCount(3, '/paused');
  });

  it('takes batch entries with a queue name into that queue', async () => {
    const queue = client.queue({ queueName: 'batched' });
    await queue.upsert({ parallelism: 1, paused: true });
    const results = await client.batchJSON([
      { queueName: 'batched', url: `${endpoint.url}/batched`, body: { n: 1 } },
      { queueName: 'batched', url: `${endpoint.url}/batched`, body: { n: 2 } },
      { url: `${endpoint.url}/unqueued`, body: { n: 3 } },
    ]);
    expect(results).toHaveLength(3);
    await endpoint.waitForCount(1, '/unqueued');
    expect(endpoint.to('/batched')).toHaveLength(0);
    expect((await queue.get()).lag).toBe(2);
    const message = await client.messages.get(results[0].messageId);
    expect(message).toMatchObject({ queueName: 'batched' });
    await queue.resume();
    await endpoint.waitForCount(2, '/batched');
  });

  it('lists queues and deletes one with the messages waiting in it', async () => {
    const queue = client.queue({ queueName: 'doomed' });
    await queue.upsert({ parallelism: 3, paused: true });
    const { messageId } = await queue.enqueue({
      url: `${endpoint.url}/doomed`,
      body: 'never',
    });
    const listed = await client.queue().list();
    expect(listed.find(q => q.name === 'doomed')).toMatchObject({
      parallelism: 3,
      paused: true,
      lag: 1,
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
    });

    await queue.delete();
    expect((await client.queue().list()).map(q => q.name)).not.toContain(
      'doomed',
    );
    await expect(queue.get()).rejects.toMatchObject({ status: 404 });
    await expect(client.messages.get(messageId)).rejects.toMatchObject({
      status: 404,
    });
    const { logs } = await client.logs({ filter: { messageId } });
    expect(logs.map(log => log.state)).toContain('CANCELLED');
  });

  it('creates the queue on the first enqueue and keeps it on upsert', async () => {
    const queue = client.queue({ queueName: 'implicit' });
    await queue.enqueue({ url: `${endpoint.url}/implicit`, body: 'x' });
    const created = await queue.get();
    expect(created).toMatchObject({ name: 'implicit', parallelism: 1 });
    await queue.upsert({ parallelism: 4 });
    const updated = await queue.get();
    expect(updated).toMatchObject({
      parallelism: 4,
      createdAt: created.createdAt,
    });
    expect(updated.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
  });
});

describe('queues on a controlled clock', () => {
  let fakeNow: number;
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let client: Client;

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

  it('holds the queue while its head waits for a retry', async () => {
    let failures = 0;
    endpoint.reply(request =>
      request.text === 'head' && failures++ === 0
        ? { status: 503, headers: { 'retry-after': '60' } }
        : { status: 200 },
    );
    const queue = client.queue({ queueName: 'retrying' });
    await queue.enqueue({ url: `${endpoint.url}/retrying`, body: 'head' });
    await queue.enqueue({ url: `${endpoint.url}/retrying`, body: 'next' });
    await server.runDue();
    expect(endpoint.to('/retrying').map(r => r.text)).toEqual(['head']);
    expect((await queue.get()).lag).toBe(2);

    fakeNow += 30_000;
    await server.runDue();
    expect(endpoint.to('/retrying')).toHaveLength(1);

    fakeNow += 31_000;
    await server.runDue();
    expect(endpoint.to('/retrying').map(r => r.text)).toEqual([
      'head',
      'head',
      'next',
    ]);
  });

  it('moves on after the head went to the DLQ', async () => {
    endpoint.reply(request =>
      request.text === 'poison' ? { status: 500 } : { status: 200 },
    );
    const queue = client.queue({ queueName: 'poisoned' });
    await queue.enqueue({
      url: `${endpoint.url}/poisoned`,
      body: 'poison',
      retries: 0,
    });
    await queue.enqueue({ url: `${endpoint.url}/poisoned`, body: 'fine' });
    await server.runDue();
    expect(endpoint.to('/poisoned').map(r => r.text)).toEqual([
      'poison',
      'fine',
    ]);
    const { messages } = await client.dlq.listMessages({
      filter: { queueName: 'poisoned' },
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ queueName: 'poisoned' });
  });

  it('lets a delayed message take its place when its delay ends', async () => {
    endpoint.reply(() => ({ status: 200 }));
    const queue = client.queue({ queueName: 'delayed' });
    await queue.enqueue({
      url: `${endpoint.url}/delayed`,
      body: 'later',
      delay: 3600,
    });
    await queue.enqueue({ url: `${endpoint.url}/delayed`, body: 'now' });
    await server.runDue();
    expect(endpoint.to('/delayed').map(r => r.text)).toEqual(['now']);
    fakeNow += 3_600_000;
    await server.runDue();
    expect(endpoint.to('/delayed').map(r => r.text)).toEqual(['now', 'later']);
  });

  it('enqueues the ticks of a schedule with a queue name', async () => {
    const queue = client.queue({ queueName: 'ticks' });
    await queue.upsert({ parallelism: 1, paused: true });
    const { scheduleId } = await client.schedules.create({
      destination: `${endpoint.url}/ticks`,
      cron: '* * * * *',
      queueName: 'ticks',
    });
    fakeNow += 3 * 60_000;
    await server.runDue();
    expect(endpoint.to('/ticks')).toHaveLength(0);
    expect((await queue.get()).lag).toBe(3);
    await queue.resume();
    await server.runDue();
    expect(endpoint.to('/ticks')).toHaveLength(3);
    await client.schedules.delete(scheduleId);
  });
});

describe('queues across a restart', () => {
  let directory: string;

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'qstash-local-'));
  });

  afterEach(() => {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('keeps the queue, its settings and its waiting messages', async () => {
    const dataFile = path.join(directory, 'qstash.sqlite');
    const endpoint = await startRecordingEndpoint();
    const first = await startQStashLocal({ dataFile });
    const firstClient = new Client({ baseUrl: first.url, token: first.token });
    const queue = firstClient.queue({ queueName: 'kept' });
    await queue.upsert({ parallelism: 2, paused: true });
    await queue.enqueue({ url: `${endpoint.url}/kept`, body: 'one' });
    await queue.enqueue({ url: `${endpoint.url}/kept`, body: 'two' });
    await first.close();

    const second = await startQStashLocal({ dataFile });
    try {
      const client = new Client({ baseUrl: second.url, token: second.token });
      const again = client.queue({ queueName: 'kept' });
      expect(await again.get()).toMatchObject({
        parallelism: 2,
        paused: true,
        lag: 2,
      });
      await again.resume();
      const received = await endpoint.waitForCount(2, '/kept');
      expect(received.map(r => r.text).sort()).toEqual(['one', 'two']);
    } finally {
      await second.close();
      await endpoint.close();
    }
  });
});
