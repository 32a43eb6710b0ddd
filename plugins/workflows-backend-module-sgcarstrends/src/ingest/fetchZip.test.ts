import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { fetchZip } from './fetchZip';

const URL_BASE = 'https://lta.example.test/files';
const server = setupServer();
registerMswTestHooks(server);

function bytesOf(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i % 251);
}

/** A body streamed in chunks, without a Content-Length header. */
function streamedBody(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      chunks.forEach(chunk => controller.enqueue(chunk));
      controller.close();
    },
  });
}

describe('fetchZip', () => {
  it('returns the downloaded bytes when they fit the limit', async () => {
    const body = bytesOf(5000);
    server.use(
      http.get(`${URL_BASE}/ok.zip`, () =>
        HttpResponse.arrayBuffer(body.slice().buffer),
      ),
    );
    const zip = await fetchZip(`${URL_BASE}/ok.zip`, { maxBytes: 5000 });
    expect(zip).toEqual(body);
  });

  it('assembles a streamed body of several chunks', async () => {
    const chunks = [bytesOf(100), bytesOf(200), bytesOf(300)];
    server.use(
      http.get(
        `${URL_BASE}/chunks.zip`,
        () => new HttpResponse(streamedBody(chunks)),
      ),
    );
    const zip = await fetchZip(`${URL_BASE}/chunks.zip`, { maxBytes: 600 });
    expect(zip).toEqual(
      Uint8Array.from([...chunks[0], ...chunks[1], ...chunks[2]]),
    );
  });

  it('refuses a download whose Content-Length is over the limit, naming the URL and limit', async () => {
    server.use(
      http.get(`${URL_BASE}/big.zip`, () =>
        HttpResponse.arrayBuffer(bytesOf(2048).buffer),
      ),
    );
    await expect(
      fetchZip(`${URL_BASE}/big.zip`, { maxBytes: 1024 }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: `The download of ${URL_BASE}/big.zip is larger than the limit of 1024 bytes (Content-Length is 2048 bytes)`,
    });
  });

  it('stops a download without Content-Length once it passes the limit', async () => {
    server.use(
      http.get(
        `${URL_BASE}/stream.zip`,
        () =>
          new HttpResponse(
            streamedBody([bytesOf(600), bytesOf(600), bytesOf(600)]),
          ),
      ),
    );
    await expect(
      fetchZip(`${URL_BASE}/stream.zip`, { maxBytes: 1000 }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: `The download of ${URL_BASE}/stream.zip is larger than the limit of 1000 bytes (stopped after receiving 1200 bytes)`,
    });
  });

  it('reports an HTTP error status with the URL', async () => {
    server.use(
      http.get(
        `${URL_BASE}/gone.zip`,
        () =>
          new HttpResponse('gone', { status: 404, statusText: 'Not Found' }),
      ),
    );
    await expect(
      fetchZip(`${URL_BASE}/gone.zip`, { maxBytes: 1000 }),
    ).rejects.toThrow(
      `The download of ${URL_BASE}/gone.zip failed: HTTP 404 Not Found`,
    );
  });

  it('reports a network failure with the URL', async () => {
    server.use(http.get(`${URL_BASE}/down.zip`, () => HttpResponse.error()));
    await expect(
      fetchZip(`${URL_BASE}/down.zip`, { maxBytes: 1000 }),
    ).rejects.toThrow(`The download of ${URL_BASE}/down.zip failed:`);
  });

  it('uses the fetch it is given', async () => {
    const body = bytesOf(10);
    const requested: string[] = [];
    const zip = await fetchZip('https://elsewhere.test/a.zip', {
      maxBytes: 10,
      fetch: async input => {
        requested.push(String(input));
        return new Response(body.slice().buffer);
      },
    });
    expect(requested).toEqual(['https://elsewhere.test/a.zip']);
    expect(zip).toEqual(body);
  });

  it('rejects a limit that is not a positive whole number', async () => {
    await expect(
      fetchZip(`${URL_BASE}/ok.zip`, { maxBytes: 0 }),
    ).rejects.toThrow('maxBytes must be a positive whole number, got 0');
  });
});
