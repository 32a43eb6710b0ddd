import { Client } from '@upstash/qstash';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { waitFor } from './__testUtils__/waitFor';
import { QStashLocal, startQStashLocal } from './index';

describe('the official @upstash/qstash Client', () => {
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let client: Client;

  beforeAll(async () => {
    // The SDK reports every non-2xx answer on the console; some are expected here.
    jest.spyOn(console, 'error').mockImplementation(() => {});
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    endpoint = await startRecordingEndpoint();
    endpoint.reply(request =>
      request.path.startsWith('/broken')
        ? { status: 500, body: 'nope' }
        : { status: 200 },
    );
    client = new Client({ baseUrl: server.url, token: server.token });
  });

  afterAll(async () => {
    await endpoint.close();
    await server.close();
    jest.restoreAllMocks();
  });

  it('publishes JSON and reads the pending message back', async () => {
    const { messageId } = await client.publishJSON({
      url: `${endpoint.url}/orders`,
      body: { id: 7 },
      headers: { 'x-tenant': 'acme' },
      delay: 3600,
      retries: 1,
      label: 'orders',
    });
    const message = await client.messages.get(messageId);
    expect(message).toMatchObject({
      messageId,
      url: `${endpoint.url}/orders`,
      method: 'POST',
      body: '{"id":7}',
      maxRetries: 1,
      labels: ['orders'],
      header: expect.objectContaining({
        'Content-Type': ['application/json'],
        'X-Tenant': ['acme'],
      }),
    });
    expect(message.notBefore! - message.createdAt).toBe(3_600_000);

    expect(await client.messages.cancel(messageId)).toEqual({ cancelled: 1 });
    await expect(client.messages.get(messageId)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('batches messages and cancels a set of them by id', async () => {
    const results = await client.batchJSON([
      { url: `${endpoint.url}/batch/now`, body: { n: 1 } },
      { url: `${endpoint.url}/batch/later`, body: { n: 2 }, delay: 3600 },
      { url: `${endpoint.url}/batch/later`, body: { n: 3 }, delay: 3600 },
    ]);
    expect(results).toHaveLength(3);
    const [now] = await endpoint.waitForCount(1, '/batch/now');
    expect(JSON.parse(now.text)).toEqual({ n: 1 });
    expect(
      await client.messages.cancel([
        results[1].messageId,
        results[2].messageId,
      ]),
    ).toEqual({ cancelled: 2 });
  });

  it('manages schedules', async () => {
    const { scheduleId } = await client.schedules.create({
      destination: `${endpoint.url}/scheduled`,
      cron: '*/10 * * * *',
      body: 'tick',
      retries: 2,
      delay: 30,
      callback: `${endpoint.url}/cb`,
    });
    expect(await client.schedules.get(scheduleId)).toMatchObject({
      scheduleId,
      cron: '*/10 * * * *',
      destination: `${endpoint.url}/scheduled`,
      method: 'POST',
      body: 'tick',
      retries: 2,
      delay: 30,
      callback: `${endpoint.url}/cb`,
      isPaused: false,
    });
    expect((await client.schedules.list()).map(s => s.scheduleId)).toContain(
      scheduleId,
    );
    await client.schedules.pause({ schedule: scheduleId });
    expect((await client.schedules.get(scheduleId)).isPaused).toBe(true);
    await client.schedules.resume({ schedule: scheduleId });
    expect((await client.schedules.get(scheduleId)).isPaused).toBe(false);
    await client.schedules.delete(scheduleId);
    expect(
      (await client.schedules.list()).map(s => s.scheduleId),
    ).not.toContain(scheduleId);
  });

  it('lists, retries and deletes dead letters', async () => {
    const url = `${endpoint.url}/broken/dlq`;
    const first = await client.publish({ url, body: 'one', retries: 0 });
    const second = await client.publish({ url, body: 'two', retries: 0 });
    const listed = await waitFor(async () => {
      const { messages } = await client.dlq.listMessages({ filter: { url } });
      return messages.length === 2 && messages;
    });
    expect(listed.map(m => m.messageId).sort()).toEqual(
      [first.messageId, second.messageId].sort(),
    );
    const one = listed.find(m => m.messageId === first.messageId)!;
    expect(one).toMatchObject({
      body: 'one',
      responseStatus: 500,
      responseBody: 'nope',
    });

    const retried = await client.dlq.retry(one.dlqId);
    expect(retried.responses).toHaveLength(1);
    expect(retried.responses[0].messageId).not.toBe(first.messageId);
    // The retried copy fails again and comes back as a new dead letter.
    const afterRetry = await waitFor(async () => {
      const { messages } = await client.dlq.listMessages({ filter: { url } });
      return (
        messages.some(m => m.messageId === retried.responses[0].messageId) &&
        messages
      );
    });
    expect(afterRetry).toHaveLength(2);

    const page = await client.dlq.listMessages({ filter: { url }, count: 1 });
    expect(page.messages).toHaveLength(1);
    expect(page.cursor).toBeDefined();

    expect(await client.dlq.delete(afterRetry.map(m => m.dlqId))).toEqual({
      deleted: 2,
    });
    expect(
      (await client.dlq.listMessages({ filter: { url } })).messages,
    ).toEqual([]);
  });

  it('names the DLQ entry in the failure callback, so the callback can delete it', async () => {
    const url = `${endpoint.url}/broken/with-failure-callback`;
    const { messageId } = await client.publish({
      url,
      body: 'payload',
      retries: 0,
      failureCallback: `${endpoint.url}/failed`,
    });
    const [call] = await endpoint.waitForCount(1, '/failed');
    const payload = JSON.parse(call.text);
    const { messages } = await client.dlq.listMessages({ filter: { url } });
    expect(messages).toHaveLength(1);
    expect(payload).toMatchObject({
      sourceMessageId: messageId,
      status: 500,
      dlqId: messages[0].dlqId,
    });

    expect(await client.dlq.delete(payload.dlqId)).toEqual({ deleted: 1 });
    expect(
      (await client.dlq.listMessages({ filter: { url } })).messages,
    ).toEqual([]);
  });

  it('reads logs with filters and a cursor', async () => {
    const { messageId } = await client.publish({
      url: `${endpoint.url}/logged`,
      body: 'x',
    });
    await endpoint.waitForCount(1, '/logged');
    const byMessage = await waitFor(async () => {
      const { logs } = await client.logs({ messageIds: [messageId] });
      return logs.length === 3 && logs;
    });
    expect(byMessage.map(log => log.state)).toEqual([
      'DELIVERED',
      'ACTIVE',
      'CREATED',
    ]);

    const delivered = await client.logs({
      filter: { state: 'DELIVERED', url: `${endpoint.url}/logged` },
    });
    expect(delivered.logs.map(log => log.messageId)).toEqual([messageId]);

    const firstPage = await client.logs({ count: 2 });
    expect(firstPage.logs).toHaveLength(2);
    const secondPage = await client.logs({
      count: 2,
      cursor: firstPage.cursor,
    });
    expect(secondPage.logs[0].time).toBeLessThanOrEqual(firstPage.logs[1].time);
    expect(secondPage.logs).not.toContainEqual(firstPage.logs[0]);
  });
});

describe('bulk calls of the official Client', () => {
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let client: Client;

  beforeEach(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    // A server per test: `{ all: true }` acts on everything there is.
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    endpoint = await startRecordingEndpoint();
    endpoint.reply(request =>
      request.path.startsWith('/broken')
        ? { status: 500, body: 'nope' }
        : { status: 200 },
    );
    client = new Client({ baseUrl: server.url, token: server.token });
  });

  afterEach(async () => {
    await endpoint.close();
    await server.close();
    jest.restoreAllMocks();
  });

  /** Publishes `n` messages that fail at once and waits for their dead letters. */
  const deadLetters = async (n: number) => {
    const url = `${endpoint.url}/broken`;
    for (let i = 0; i < n; i++) {
      await client.publish({ url, body: String(i), retries: 0 });
    }
    return waitFor(async () => {
      const { messages } = await client.dlq.listMessages();
      return messages.length === n && messages;
    });
  };

  it('cancels every pending message with { all: true }', async () => {
    const ids = [];
    for (const path of ['/a', '/b', '/c']) {
      const { messageId } = await client.publish({
        url: `${endpoint.url}${path}`,
        delay: 3600,
      });
      ids.push(messageId);
    }
    expect(await client.messages.cancel({ all: true })).toEqual({
      cancelled: 3,
    });
    for (const messageId of ids) {
      await expect(client.messages.get(messageId)).rejects.toMatchObject({
        status: 404,
      });
    }
    expect(await client.messages.cancel({ all: true })).toEqual({
      cancelled: 0,
    });
  });

  it('retries and deletes the whole DLQ with { all: true }, page by page', async () => {
    const before = await deadLetters(3);

    const first = await client.dlq.retry({ all: true, count: 2 });
    expect(first.responses).toHaveLength(2);
    expect(first.cursor).toBeDefined();
    const rest = await client.dlq.retry({
      all: true,
      count: 2,
      cursor: first.cursor,
    });
    expect(rest.responses).toHaveLength(1);
    expect(rest.cursor).toBeUndefined();

    // The retried copies fail again and come back as three new dead letters.
    const after = await waitFor(async () => {
      const { messages } = await client.dlq.listMessages();
      return (
        messages.length === 3 &&
        messages.every(m => !before.some(b => b.dlqId === m.dlqId)) &&
        messages
      );
    });
    expect(after.map(m => m.messageId).sort()).toEqual(
      [...first.responses, ...rest.responses].map(r => r.messageId).sort(),
    );

    expect(await client.dlq.delete({ all: true })).toEqual({ deleted: 3 });
    expect((await client.dlq.listMessages()).messages).toEqual([]);
  });

  it('acts on the known ids of a bulk DLQ call and skips unknown ones', async () => {
    const [one, two] = await deadLetters(2);

    expect(await client.dlq.delete([one.dlqId, 'dlq_unknown'])).toEqual({
      deleted: 1,
    });
    const retried = await client.dlq.retry([two.dlqId, 'dlq_unknown']);
    expect(retried.responses).toHaveLength(1);
    await expect(client.dlq.retry(['dlq_unknown'])).rejects.toMatchObject({
      status: 404,
    });
    const left = await waitFor(async () => {
      const { messages } = await client.dlq.listMessages();
      return messages.length === 1 && messages;
    });
    expect(left[0].messageId).toBe(retried.responses[0].messageId);
  });
});
