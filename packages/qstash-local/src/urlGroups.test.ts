import { Client, Receiver } from '@upstash/qstash';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { sleep, waitFor } from './__testUtils__/waitFor';
import { QStashLocal, startQStashLocal } from './index';

describe('URL groups through the official Client', () => {
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let client: Client;
  let receiver: Receiver;

  beforeAll(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    server = await startQStashLocal({ retryTimeScale: 0.0001 });
    endpoint = await startRecordingEndpoint();
    client = new Client({ baseUrl: server.url, token: server.token });
    receiver = new Receiver({
      currentSigningKey: server.currentSigningKey,
      nextSigningKey: server.nextSigningKey,
    });
  });

  afterAll(async () => {
    await endpoint.close();
    await server.close();
    jest.restoreAllMocks();
  });

  it('fans a message out to every endpoint, each with its own id and signature', async () => {
    await client.urlGroups.addEndpoints({
      name: 'team',
      endpoints: [
        { url: `${endpoint.url}/team/alice`, name: 'alice' },
        { url: `${endpoint.url}/team/bob` },
      ],
    });
    const results = await client.publishJSON({
      urlGroup: 'team',
      body: { hello: 'team' },
    });
    expect(results).toEqual([
      { messageId: expect.any(String), url: `${endpoint.url}/team/alice` },
      { messageId: expect.any(String), url: `${endpoint.url}/team/bob` },
    ]);
    expect(results[0].messageId).not.toBe(results[1].messageId);

    const received = await endpoint.waitForCount(2, '/team/');
    for (const result of results) {
      const request = received.find(r => r.url === result.url)!;
      expect(request.headers['upstash-message-id']).toBe(result.messageId);
      expect(JSON.parse(request.text)).toEqual({ hello: 'team' });
      await expect(
        receiver.verify({
          signature: String(request.headers['upstash-signature']),
          body: request.text,
          url: request.url,
        }),
      ).resolves.toBe(true);
      // A signature is bound to its endpoint's URL.
      const other = results.find(r => r !== result)!;
      await expect(
        receiver.verify({
          signature: String(request.headers['upstash-signature']),
          body: request.text,
          url: other.url,
        }),
      ).rejects.toThrow();
    }

    const { logs } = await client.logs({
      filter: { urlGroup: 'team', state: 'DELIVERED' },
    });
    expect(logs.map(log => log.messageId).sort()).toEqual(
      results.map(r => r.messageId).sort(),
    );
  });

  it('shows, lists and changes a group; a removed endpoint gets nothing more', async () => {
    await client.urlGroups.addEndpoints({
      name: 'ops',
      endpoints: [
        { url: `${endpoint.url}/ops/pager`, name: 'pager' },
        { url: `${endpoint.url}/ops/chat`, name: 'chat' },
      ],
    });
    const group = await client.urlGroups.get('ops');
    expect(group).toMatchObject({
      name: 'ops',
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
      endpoints: [
        { url: `${endpoint.url}/ops/pager`, name: 'pager' },
        { url: `${endpoint.url}/ops/chat`, name: 'chat' },
      ],
    });
    expect((await client.urlGroups.list()).map(g => g.name)).toContain('ops');

    await client.urlGroups.removeEndpoints({
      name: 'ops',
      endpoints: [{ name: 'pager' }],
    });
    expect((await client.urlGroups.get('ops')).endpoints).toEqual([
      { url: `${endpoint.url}/ops/chat`, name: 'chat' },
    ]);
    const results = await client.publish({ urlGroup: 'ops', body: 'alert' });
    expect(results).toHaveLength(1);
    await endpoint.waitForCount(1, '/ops/chat');
    await sleep(200);
    expect(endpoint.to('/ops/pager')).toHaveLength(0);

    // Removing the last endpoint removes the group.
    await client.urlGroups.removeEndpoints({
      name: 'ops',
      endpoints: [{ url: `${endpoint.url}/ops/chat` }],
    });
    await expect(client.urlGroups.get('ops')).rejects.toMatchObject({
      status: 404,
    });
  });

  it('fans out every tick of a schedule whose destination is a URL group', async () => {
    await client.urlGroups.addEndpoints({
      name: 'scheduled-group',
      endpoints: [
        { url: `${endpoint.url}/scheduled/a` },
        { url: `${endpoint.url}/scheduled/b` },
      ],
    });
    await expect(
      client.schedules.create({
        destination: 'no-such-group',
        cron: '* * * * *',
      }),
    ).rejects.toMatchObject({ status: 404 });
    const { scheduleId } = await client.schedules.create({
      destination: 'scheduled-group',
      cron: '* * * * *',
      body: 'tick',
    });
    expect(await client.schedules.get(scheduleId)).toMatchObject({
      destination: 'scheduled-group',
      method: 'POST',
    });
    await server.runDue(Date.now() + 61_000);
    const received = await endpoint.waitForCount(2, '/scheduled/');
    expect(received.map(r => r.path).sort()).toEqual([
      '/scheduled/a',
      '/scheduled/b',
    ]);
    await waitFor(async () => {
      const { lastScheduleStates } = await client.schedules.get(scheduleId);
      const states = Object.values(lastScheduleStates ?? {});
      return states.length === 2 && states.every(state => state === 'SUCCESS');
    });
    await client.schedules.delete(scheduleId);
  });

  it('deletes a group; publishing to it is then a 404', async () => {
    await client.urlGroups.addEndpoints({
      name: 'gone',
      endpoints: [{ url: `${endpoint.url}/gone` }],
    });
    await client.urlGroups.delete('gone');
    await expect(
      client.publish({ urlGroup: 'gone', body: 'x' }),
    ).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('URL group gone not found'),
    });
  });

  it('deduplicates per endpoint, and fans out batch entries and queued messages', async () => {
    await client.urlGroups.addEndpoints({
      name: 'pair',
      endpoints: [
        { url: `${endpoint.url}/pair/one` },
        { url: `${endpoint.url}/pair/two` },
      ],
    });
    const first = await client.publish({
      urlGroup: 'pair',
      body: 'once',
      deduplicationId: 'pair-1',
    });
    const again = await client.publish({
      urlGroup: 'pair',
      body: 'once',
      deduplicationId: 'pair-1',
    });
    expect(again.map(r => r.messageId)).toEqual(first.map(r => r.messageId));
    expect(again.every(r => r.deduplicated)).toBe(true);
    await endpoint.waitForCount(2, '/pair/');

    const batch = await client.batch([
      { urlGroup: 'pair', body: 'batched' },
      { url: `${endpoint.url}/single`, body: 'single' },
    ]);
    expect(batch).toHaveLength(2);
    expect(batch[0]).toHaveLength(2);
    expect(batch[1]).toMatchObject({ url: `${endpoint.url}/single` });

    const queued = await client
      .queue({ queueName: 'pair-queue' })
      .enqueue({ urlGroup: 'pair', body: 'queued' });
    expect(queued).toHaveLength(2);
    await waitFor(
      () => endpoint.to('/pair/').filter(r => r.text === 'queued').length === 2,
    );
    expect(
      endpoint.to('/pair/').filter(r => r.text === 'batched'),
    ).toHaveLength(2);
  });
});
