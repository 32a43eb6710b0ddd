import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { UpstashQStashGateway } from '../qstash/UpstashQStashGateway';
import { runProbe } from './probeRunner';
import { qstashTokenProbe, signingKeysProbe } from './qstashProbes';

const QSTASH = 'https://qstash.test';
const connection = {
  url: QSTASH,
  token: 'qstash-cloud-token-s3cr3t',
  currentSigningKey: 'sig_current',
  nextSigningKey: 'sig_next',
};

const run = (probe: Parameters<typeof runProbe>[0], timeoutMs = 5_000) =>
  runProbe(probe, {
    timeoutMs,
    probePlatforms: false,
    secrets: [connection.token, 'sig_current', 'sig_next'],
  });

describe('the QStash probes against QStash cloud', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const gateway = new UpstashQStashGateway(connection);
  let calls = 0;
  const schedulesAnswer = (resolver: () => Response | Promise<Response>) =>
    server.use(
      http.get(`${QSTASH}/v2/schedules`, async () => {
        calls += 1;
        return resolver();
      }),
    );
  beforeEach(() => {
    calls = 0;
  });

  it('asks once and warns when QStash is rate limiting, instead of waiting', async () => {
    schedulesAnswer(() =>
      HttpResponse.json(
        { error: 'burst rate limit exceeded' },
        {
          status: 429,
          headers: {
            'Burst-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1),
          },
        },
      ),
    );
    const result = await run(qstashTokenProbe(gateway));
    expect(result).toMatchObject({
      verdict: 'warning',
      message: expect.stringContaining('rate limit'),
    });
    expect(calls).toBe(1);
  });

  it('asks once and fails on a server error, without the usual retries', async () => {
    schedulesAnswer(() =>
      HttpResponse.json({ error: 'boom' }, { status: 502 }),
    );
    expect(await run(qstashTokenProbe(gateway))).toMatchObject({
      verdict: 'failing',
      message: expect.stringContaining('HTTP 502'),
    });
    expect(calls).toBe(1);
  });

  it('fails when something other than QStash answers with HTML', async () => {
    schedulesAnswer(() => HttpResponse.html('<html>Proxy login</html>'));
    expect(await run(qstashTokenProbe(gateway))).toMatchObject({
      verdict: 'failing',
      message: expect.stringContaining('not JSON'),
    });
  });

  it('ends the request when the probe times out', async () => {
    let aborted = false;
    server.use(
      http.get(`${QSTASH}/v2/keys`, async ({ request }) => {
        request.signal.addEventListener('abort', () => {
          aborted = true;
        });
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    expect(await run(signingKeysProbe(connection, gateway), 200)).toMatchObject(
      {
        verdict: 'failing',
        message: 'timed out after 0.2 s',
      },
    );
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(aborted).toBe(true);
  });

  it('says the keys are in sync without repeating them', async () => {
    server.use(
      http.get(`${QSTASH}/v2/keys`, () =>
        HttpResponse.json({ current: 'sig_current', next: 'sig_next' }),
      ),
    );
    const result = await run(signingKeysProbe(connection, gateway));
    expect(result).toMatchObject({
      verdict: 'ok',
      message: 'in sync with QStash',
    });
    expect(JSON.stringify(result)).not.toContain('sig_');
  });

  it('is not probed without a QStash token', async () => {
    expect(await run(qstashTokenProbe(undefined))).toMatchObject({
      verdict: 'not-probed',
      message: 'not probed: no QStash token is configured',
    });
  });
});
