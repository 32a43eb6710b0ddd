import { ApiClient, apiClient } from './__testUtils__/apiClient';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { QStashLocal, startQStashLocal } from './index';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('DLQ date filters', () => {
  let now: number;
  let server: QStashLocal;
  let endpoint: RecordingEndpoint;
  let api: ApiClient;
  /** When the message is published; it enters the DLQ an hour later. */
  const publishedAt = Date.parse('2030-03-04T05:00:00Z');

  beforeEach(async () => {
    now = publishedAt;
    server = await startQStashLocal({ now: () => now });
    endpoint = await startRecordingEndpoint();
    endpoint.reply(() => ({ status: 500, body: 'down' }));
    api = apiClient(server.url, server.token);
  });

  afterEach(async () => {
    await endpoint.close();
    await server.close();
  });

  const listed = async (query: string) => {
    const response = await api.get(`/v2/dlq?${query}`);
    expect(response.status).toBe(200);
    return (response.json.messages as Array<{ messageId: string }>).map(
      m => m.messageId,
    );
  };

  it('filter on when an entry entered the DLQ, not on when its message was created', async () => {
    const published = await api.post(`/v2/publish/${endpoint.url}/down`, {
      headers: { 'upstash-retries': '1' },
    });
    expect(published.status).toBe(200);
    const messageId: string = published.json.messageId;
    await server.runDue();
    expect(endpoint.to('/down')).toHaveLength(1);
    // The retry (after about 12 s of backoff) fails an hour later, and only
    // then does the message enter the DLQ.
    now = publishedAt + HOUR;
    await server.runDue();
    expect(endpoint.to('/down')).toHaveLength(2);

    const betweenTheTwo = publishedAt + 30 * MINUTE;
    expect(await listed(`fromDate=${betweenTheTwo}`)).toEqual([messageId]);
    expect(await listed(`toDate=${betweenTheTwo}`)).toEqual([]);
    expect(
      await listed(`fromDate=${publishedAt}&toDate=${publishedAt + MINUTE}`),
    ).toEqual([]);
    expect(
      await listed(
        `fromDate=${publishedAt + HOUR}&toDate=${publishedAt + HOUR}`,
      ),
    ).toEqual([messageId]);
  });
});
