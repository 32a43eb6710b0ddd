import { Client } from '@upstash/qstash';
import { holdReplies } from './__testUtils__/heldReplies';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { sleep, waitFor } from './__testUtils__/waitFor';
import { QStashLocal, startQStashLocal } from './index';
import { LogStore } from './store/logStore';

describe('attempts that end together share one commit', () => {
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let client: Client;

  beforeAll(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    server = await startQStashLocal({});
    endpoint = await startRecordingEndpoint();
    client = new Client({ baseUrl: server.url, token: server.token });
  });

  afterAll(async () => {
    await endpoint.close();
    await server.close();
    jest.restoreAllMocks();
  });

  it('rolls back a failing settle alone and keeps its message', async () => {
    const hold = holdReplies(endpoint);
    const broken = await client.publish({
      url: `${endpoint.url}/hold/a`,
      body: 'a',
    });
    const fine = await client.publish({
      url: `${endpoint.url}/hold/b`,
      body: 'b',
    });
    await waitFor(() => hold.held.length === 2);

    // Writing the DELIVERED log of one message fails after its delete ran.
    const add = LogStore.prototype.add;
    const spy = jest
      .spyOn(LogStore.prototype, 'add')
      .mockImplementation(function addUnlessBroken(
        this: LogStore,
        fields,
        entry,
        index,
      ) {
        if (
          fields.messageId === broken.messageId &&
          fields.state === 'DELIVERED'
        )
          throw new Error('disk full');
        return add.call(this, fields, entry, index);
      });
    try {
      hold.releaseAll();
      await waitFor(async () => {
        const { logs } = await client.logs({
          filter: { messageId: fine.messageId, state: 'DELIVERED' },
        });
        return logs.length === 1;
      });
      await sleep(100);
    } finally {
      spy.mockRestore();
    }

    // The failing one is neither delivered in the log nor gone: its delete was
    // rolled back with its savepoint, so a restart sends it again.
    const { logs } = await client.logs({
      filter: { messageId: broken.messageId, state: 'DELIVERED' },
    });
    expect(logs).toEqual([]);
    expect(await client.messages.get(broken.messageId)).toMatchObject({
      messageId: broken.messageId,
    });
    await expect(client.messages.get(fine.messageId)).rejects.toThrow();
  });
});
