import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { base64url, decodeJwt, jwtVerify } from 'jose';
import { ApiClient, apiClient } from './__testUtils__/apiClient';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { waitFor } from './__testUtils__/waitFor';
import { QStashLocal, startQStashLocal } from './index';

// Retry delays run at 1/1000 of real time: the first retry after ~12 ms.
const TIME_SCALE = 0.001;

describe('message delivery', () => {
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let api: ApiClient;

  beforeEach(async () => {
    server = await startQStashLocal({ retryTimeScale: TIME_SCALE });
    endpoint = await startRecordingEndpoint();
    api = apiClient(server.url, server.token);
  });

  afterEach(async () => {
    await endpoint.close();
    await server.close();
  });

  const publish = async (
    path: string,
    headers: Record<string, string> = {},
    body = '',
  ) => {
    const response = await api.post(`/v2/publish/${endpoint.url}${path}`, {
      headers,
      body,
    });
    expect(response.status).toBe(200);
    return response.json.messageId as string;
  };

  const logsOf = async (messageId: string) => {
    const response = await api.get(`/v2/logs?messageId=${messageId}`);
    return (response.json.logs as Array<Record<string, any>>).reverse(); // eslint-disable-line @typescript-eslint/no-explicit-any -- log entries are checked field by field
  };

  const dlqOf = async (messageId: string) =>
    waitFor(
      async () => {
        const response = await api.get(`/v2/dlq?messageId=${messageId}`);
        return response.json.messages[0];
      },
      { what: `DLQ entry of ${messageId}` },
    );

  it('delivers the body with the method, forwarded headers and QStash headers', async () => {
    const messageId = await publish(
      '/orders?x=1',
      {
        'content-type': 'text/plain',
        'upstash-method': 'PUT',
        'upstash-forward-x-tenant': 'acme',
        'upstash-forward-authorization': 'Bearer for-the-destination',
      },
      'order #1',
    );
    const [request] = await endpoint.waitForCount(1, '/orders');
    expect(request.method).toBe('PUT');
    expect(request.path).toBe('/orders?x=1');
    expect(request.text).toBe('order #1');
    expect(request.headers).toMatchObject({
      'content-type': 'text/plain',
      'x-tenant': 'acme',
      authorization: 'Bearer for-the-destination',
      'upstash-message-id': messageId,
      'upstash-retried': '0',
      'user-agent': 'Upstash-QStash',
    });
    await waitFor(async () =>
      (await logsOf(messageId)).some(entry => entry.state === 'DELIVERED'),
    );
    expect((await logsOf(messageId)).map(entry => entry.state)).toEqual([
      'CREATED',
      'ACTIVE',
      'DELIVERED',
    ]);
  });

  it('signs every delivery with the current signing key', async () => {
    await publish('/signed', { 'content-type': 'application/json' }, '{"a":1}');
    const [request] = await endpoint.waitForCount(1, '/signed');
    const token = String(request.headers['upstash-signature']);
    const { payload, protectedHeader } = await jwtVerify(
      token,
      new TextEncoder().encode(server.currentSigningKey),
      { issuer: 'Upstash', subject: `${endpoint.url}/signed` },
    );
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.body).toBe(
      base64url.encode(createHash('sha256').update('{"a":1}').digest()),
    );
    await expect(
      jwtVerify(token, new TextEncoder().encode(server.nextSigningKey)),
    ).rejects.toThrow();
    expect(decodeJwt(token).sub).toBe(`${endpoint.url}/signed`);
  });

  it('retries with the QStash backoff min(86400, e^(2.5n)) s, scaled', async () => {
    let calls = 0;
    endpoint.reply(() =>
      ++calls <= 2 ? { status: 503, body: 'busy' } : { status: 200 },
    );
    const messageId = await publish('/flaky');
    const requests = await endpoint.waitForCount(3, '/flaky');
    expect(requests.map(r => r.headers['upstash-retried'])).toEqual([
      '0',
      '1',
      '2',
    ]);

    await waitFor(async () =>
      (await logsOf(messageId)).some(entry => entry.state === 'DELIVERED'),
    );
    const retries = (await logsOf(messageId)).filter(
      entry => entry.state === 'RETRY',
    );
    expect(retries.map(entry => entry.nextDeliveryTime - entry.time)).toEqual([
      Math.round(Math.exp(2.5) * 1000 * TIME_SCALE),
      Math.round(Math.exp(5) * 1000 * TIME_SCALE),
    ]);
    const errors = (await logsOf(messageId)).filter(
      entry => entry.state === 'ERROR',
    );
    expect(errors[0]).toMatchObject({
      responseStatus: 503,
      responseBody: Buffer.from('busy').toString('base64'),
    });
  });

  it('waits as long as Retry-After asks', async () => {
    let calls = 0;
    endpoint.reply(() =>
      ++calls === 1
        ? { status: 429, headers: { 'retry-after': '30' } }
        : { status: 200 },
    );
    const messageId = await publish('/limited');
    await endpoint.waitForCount(2, '/limited');
    const [retry] = (await logsOf(messageId)).filter(
      entry => entry.state === 'RETRY',
    );
    expect(retry.nextDeliveryTime - retry.time).toBe(30_000 * TIME_SCALE);
  });

  it.each([
    ['retry-after', '3s', 3000],
    ['retry-after', '3', 3000],
    ['x-ratelimit-reset', '1m30s', 90_000],
    ['x-ratelimit-reset-requests', '1500ms', 1500],
    ['x-ratelimit-reset-tokens', '2.5s', 2500],
  ])(
    'waits what a 429 with %s: %s asks, not the backoff',
    async (header, value, expectedMs) => {
      let calls = 0;
      endpoint.reply(() =>
        ++calls === 1
          ? { status: 429, headers: { [header]: value } }
          : { status: 200 },
      );
      const messageId = await publish('/rate-limited');
      await endpoint.waitForCount(2, '/rate-limited');
      const [retry] = (await logsOf(messageId)).filter(
        entry => entry.state === 'RETRY',
      );
      expect(retry.nextDeliveryTime - retry.time).toBe(
        Math.round(expectedMs * TIME_SCALE),
      );
    },
  );

  it('falls back to the backoff when the destination asks for more than a day', async () => {
    let calls = 0;
    endpoint.reply(() =>
      ++calls === 1
        ? { status: 429, headers: { 'retry-after': '90000' } }
        : { status: 200 },
    );
    const messageId = await publish('/too-long');
    await endpoint.waitForCount(2, '/too-long');
    const [retry] = (await logsOf(messageId)).filter(
      entry => entry.state === 'RETRY',
    );
    expect(retry.nextDeliveryTime - retry.time).toBe(
      Math.round(Math.exp(2.5) * 1000 * TIME_SCALE),
    );
  });

  it('uses an Upstash-Retry-Delay expression', async () => {
    let calls = 0;
    endpoint.reply(() => (++calls <= 2 ? { status: 500 } : { status: 200 }));
    const messageId = await publish('/custom', {
      'upstash-retry-delay': '5000 * (1 + retried)',
    });
    await endpoint.waitForCount(3, '/custom');
    const retries = (await logsOf(messageId)).filter(
      entry => entry.state === 'RETRY',
    );
    expect(retries.map(entry => entry.nextDeliveryTime - entry.time)).toEqual([
      5, 10,
    ]);
  });

  it('fails at once on 489 with Upstash-NonRetryable-Error and keeps the response in the DLQ', async () => {
    endpoint.reply(() => ({
      status: 489,
      headers: {
        'upstash-nonretryable-error': 'true',
        'x-reason': 'bad order',
      },
      body: 'order is invalid',
    }));
    const messageId = await publish(
      '/strict',
      { 'upstash-retries': '5' },
      'payload',
    );
    const entry = await dlqOf(messageId);
    expect(endpoint.to('/strict')).toHaveLength(1);
    expect(entry).toMatchObject({
      messageId,
      url: `${endpoint.url}/strict`,
      body: 'payload',
      maxRetries: 5,
      responseStatus: 489,
      responseBody: 'order is invalid',
      responseHeader: expect.objectContaining({ 'X-Reason': ['bad order'] }),
    });
    expect((await logsOf(messageId)).map(e => e.state)).toEqual([
      'CREATED',
      'ACTIVE',
      'ERROR',
      'FAILED',
    ]);
  });

  it('retries a 489 without Upstash-NonRetryable-Error like any other error', async () => {
    let calls = 0;
    endpoint.reply(() =>
      ++calls === 1
        ? { status: 489, body: 'not marked as final' }
        : { status: 200 },
    );
    const messageId = await publish('/489-plain', { 'upstash-retries': '2' });
    const requests = await endpoint.waitForCount(2, '/489-plain');
    expect(requests.map(r => r.headers['upstash-retried'])).toEqual(['0', '1']);
    await waitFor(async () =>
      (await logsOf(messageId)).some(entry => entry.state === 'DELIVERED'),
    );
    expect((await logsOf(messageId)).map(e => e.state)).toEqual([
      'CREATED',
      'ACTIVE',
      'ERROR',
      'RETRY',
      'ACTIVE',
      'DELIVERED',
    ]);
    expect((await api.get(`/v2/dlq?messageId=${messageId}`)).json).toEqual({
      messages: [],
    });
  });

  it('puts a message in the DLQ after the last retry and calls callback and failure callback', async () => {
    endpoint.reply(request =>
      request.path.startsWith('/down')
        ? { status: 500, body: 'down' }
        : { status: 200 },
    );
    const messageId = await publish(
      '/down',
      {
        'upstash-retries': '2',
        'upstash-callback': `${endpoint.url}/callback`,
        'upstash-failure-callback': `${endpoint.url}/failure`,
        'upstash-failure-callback-forward-x-origin': 'qstash-local',
      },
      'important',
    );
    const entry = await dlqOf(messageId);
    expect(endpoint.to('/down')).toHaveLength(3);
    expect(entry).toMatchObject({
      responseStatus: 500,
      responseBody: 'down',
      maxRetries: 2,
    });

    const [failure] = await endpoint.waitForCount(1, '/failure');
    expect(failure.headers['x-origin']).toBe('qstash-local');
    expect(failure.headers['upstash-signature']).toEqual(expect.any(String));
    const payload = JSON.parse(failure.text);
    expect(payload).toMatchObject({
      status: 500,
      sourceMessageId: messageId,
      url: `${endpoint.url}/down`,
      retried: 2,
      maxRetries: 2,
    });
    expect(Buffer.from(payload.body, 'base64').toString()).toBe('down');
    expect(Buffer.from(payload.sourceBody, 'base64').toString()).toBe(
      'important',
    );

    // A callback follows every attempt that got an answer.
    const callbacks = await endpoint.waitForCount(3, '/callback');
    expect(callbacks.map(c => JSON.parse(c.text).retried)).toEqual([0, 1, 2]);
  });

  it('counts a refused connection as a failed attempt', async () => {
    const closed = await startRecordingEndpoint();
    const deadUrl = closed.url;
    await closed.close();
    const response = await api.post(`/v2/publish/${deadUrl}/gone`, {
      headers: { 'upstash-retries': '1' },
    });
    const entry = await dlqOf(response.json.messageId);
    expect(entry.responseStatus).toBeUndefined();
    const logs = await logsOf(response.json.messageId);
    expect(logs.filter(e => e.state === 'ERROR')[0].error).toMatch(/gone/);
  });

  it('gives up on a slow destination after Upstash-Timeout', async () => {
    endpoint.reply(
      () =>
        new Promise(resolve =>
          setTimeout(() => resolve({ status: 200 }), 1500),
        ),
    );
    const messageId = await publish('/slow', {
      'upstash-timeout': '1s',
      'upstash-retries': '0',
    });
    await dlqOf(messageId);
    const [error] = (await logsOf(messageId)).filter(e => e.state === 'ERROR');
    expect(error.error).toMatch(/timed out after 1000 ms/);
  });

  it('answers a publish with JSON and no ETag, as QStash does', async () => {
    const response = await api.post(`/v2/publish/${endpoint.url}/plain`, {
      body: 'x',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('etag')).toBeNull();
  });

  it('follows redirects: 307 keeps the method and body, 303 turns into a GET', async () => {
    endpoint.reply(request => {
      if (request.path === '/moved')
        return { status: 307, headers: { location: '/moved-here' } };
      if (request.path === '/see-other')
        return { status: 303, headers: { location: '/other' } };
      return { status: 200, body: 'ok' };
    });
    const kept = await publish(
      '/moved',
      { 'content-type': 'text/plain' },
      'kept',
    );
    const [moved] = await endpoint.waitForCount(1, '/moved-here');
    expect(moved.method).toBe('POST');
    expect(moved.text).toBe('kept');
    expect(moved.headers['upstash-message-id']).toBe(kept);

    await publish('/see-other', { 'content-type': 'text/plain' }, 'dropped');
    const [other] = await endpoint.waitForCount(1, '/other');
    expect(other.method).toBe('GET');
    expect(other.text).toBe('');
    expect(other.headers['content-type']).toBeUndefined();
    await waitFor(async () =>
      (await logsOf(kept)).some(e => e.state === 'DELIVERED'),
    );
  });

  it('fails an attempt whose answer breaks off halfway', async () => {
    const broken = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part of it');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>(resolve =>
      broken.listen(0, '127.0.0.1', () => resolve()),
    );
    try {
      const { port } = broken.address() as AddressInfo;
      const response = await api.post(
        `/v2/publish/http://127.0.0.1:${port}/cut`,
        { headers: { 'upstash-retries': '0' }, body: 'x' },
      );
      const { messageId } = response.json;
      const dlq = await dlqOf(messageId);
      expect(dlq.messageId).toBe(messageId);
      const [error] = (await logsOf(messageId)).filter(
        e => e.state === 'ERROR',
      );
      expect(error.error).toMatch(/aborted|closed before the response ended/);
    } finally {
      broken.closeAllConnections();
      await new Promise(resolve => broken.close(resolve));
    }
  });

  it('fails an attempt that redirects in a loop', async () => {
    endpoint.reply(() => ({ status: 302, headers: { location: '/loop' } }));
    const messageId = await publish('/loop', { 'upstash-retries': '0' });
    await dlqOf(messageId);
    const [error] = (await logsOf(messageId)).filter(e => e.state === 'ERROR');
    expect(error.error).toMatch(/more than 20 redirects/);
    expect(endpoint.to('/loop')).toHaveLength(21);
  });

  it('holds a delayed message until it is due', async () => {
    const now = Date.now();
    const messageId = await publish('/later', { 'upstash-delay': '2h' });
    const pending = await api.get(`/v2/messages/${messageId}`);
    expect(pending.json.notBefore).toBeGreaterThanOrEqual(now + 2 * 3_600_000);

    await server.runDue(now + 3_600_000);
    expect(endpoint.to('/later')).toHaveLength(0);
    await server.runDue(now + 2 * 3_600_000 + 60_000);
    expect(endpoint.to('/later')).toHaveLength(1);
    expect((await api.get(`/v2/messages/${messageId}`)).status).toBe(404);
  });

  it('honours Upstash-Not-Before in Unix seconds', async () => {
    const at = Math.floor(Date.now() / 1000) + 600;
    const messageId = await publish('/at', {
      'upstash-not-before': String(at),
    });
    expect((await api.get(`/v2/messages/${messageId}`)).json.notBefore).toBe(
      at * 1000,
    );
    await server.runDue(at * 1000);
    expect(endpoint.to('/at')).toHaveLength(1);
  });

  it('accepts a batch body given as raw JSON, as the workflow SDK sends a context.call body', async () => {
    const response = await api.post('/v2/batch', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { destination: `${endpoint.url}/raw`, body: { question: 42 } },
        { destination: `${endpoint.url}/text`, body: 'plain' },
      ]),
    });
    expect(response.status).toBe(200);
    expect(response.json).toHaveLength(2);
    await endpoint.waitForCount(1, '/raw');
    await endpoint.waitForCount(1, '/text');
    expect(JSON.parse(endpoint.to('/raw')[0].text)).toEqual({ question: 42 });
    expect(endpoint.to('/text')[0].text).toBe('plain');
  });

  it('delivers once for a repeated deduplication id', async () => {
    const first = await publish('/once', {
      'upstash-deduplication-id': 'order-7',
    });
    const again = await api.post(`/v2/publish/${endpoint.url}/once`, {
      headers: { 'upstash-deduplication-id': 'order-7' },
    });
    expect(again.json).toEqual({
      messageId: first,
      url: `${endpoint.url}/once`,
      deduplicated: true,
    });
    await endpoint.waitForCount(1, '/once');
    await server.runDue();
    expect(endpoint.to('/once')).toHaveLength(1);
  });

  it('cancels a waiting message', async () => {
    const messageId = await publish('/cancelled', { 'upstash-delay': '1h' });
    expect((await api.delete(`/v2/messages/${messageId}`)).json).toEqual({
      cancelled: 1,
    });
    await server.runDue(Date.now() + 2 * 3_600_000);
    expect(endpoint.to('/cancelled')).toHaveLength(0);
    expect((await logsOf(messageId)).map(e => e.state)).toEqual([
      'CREATED',
      'CANCEL_REQUESTED',
      'CANCELLED',
    ]);
  });
});
