import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import {
  TEST_REDIS_HOST,
  TEST_REDIS_PORT,
  TEST_REDIS_URL,
  testRedisAvailable,
} from './__testUtils__/testRedis';
import { runProbe } from './probeRunner';
import { cacheRedisProbe, upstashRedisProbe } from './redisProbes';

const UPSTASH_URL = 'https://eu1-example-12345.upstash.io';
const UPSTASH_TOKEN = 'AX_upstash-rest-token-s3cr3t';
const env = {
  UPSTASH_REDIS_REST_URL: UPSTASH_URL,
  UPSTASH_REDIS_REST_TOKEN: UPSTASH_TOKEN,
};

const run = (probe: Parameters<typeof runProbe>[0], timeoutMs = 5_000) =>
  runProbe(probe, {
    timeoutMs,
    probePlatforms: false,
    secrets: Object.values(env),
  });

describe('Upstash Redis over REST', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const answer = (resolver: Parameters<typeof http.get>[1]) =>
    server.use(http.get(`${UPSTASH_URL}/ping`, resolver));

  it('is ok when the PING with the token gets PONG', async () => {
    let authorization: string | null = null;
    answer(({ request }) => {
      authorization = request.headers.get('authorization');
      return HttpResponse.json({ result: 'PONG' });
    });
    expect(await run(upstashRedisProbe(env))).toMatchObject({
      id: 'upstash-redis',
      verdict: 'ok',
      message: 'Upstash Redis answered PONG',
    });
    expect(authorization).toBe(`Bearer ${UPSTASH_TOKEN}`);
  });

  it.each([
    [401, 'failing', /refused the token \(HTTP 401\)/],
    [429, 'warning', /rate limiting/],
    [500, 'failing', /HTTP 500/],
  ])('answers HTTP %i: %s', async (status, verdict, message) => {
    answer(() => HttpResponse.json({ error: 'no' }, { status }));
    const result = await run(upstashRedisProbe(env));
    expect(result.verdict).toBe(verdict);
    expect(result.message).toMatch(message);
    expect(result.fix).toEqual(expect.any(String));
  });

  it('is failing when an HTML page answers instead of the API', async () => {
    answer(() => HttpResponse.html('<html><body>Welcome</body></html>'));
    expect(await run(upstashRedisProbe(env))).toMatchObject({
      verdict: 'failing',
      message:
        'Upstash Redis answered the PING with HTTP 200 and a body that is not JSON',
    });
  });

  it('times out', async () => {
    answer(async () => {
      await delay('infinite');
      return HttpResponse.json({ result: 'PONG' });
    });
    expect(await run(upstashRedisProbe(env), 200)).toMatchObject({
      verdict: 'failing',
      message: 'timed out after 0.2 s',
    });
  });

  it('is not probed without both variables', async () => {
    expect(
      await run(upstashRedisProbe({ UPSTASH_REDIS_REST_URL: UPSTASH_URL })),
    ).toMatchObject({ verdict: 'not-probed', latencyMs: null });
  });
});

const describeWithRedis = testRedisAvailable() ? describe : describe.skip;

describe('the Backstage cache Redis', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(
      servers.map(server => new Promise(resolve => server.close(resolve))),
    );
  });

  /** A port something listens on, with `onSocket` told of each connection. */
  async function listening(onSocket: (socket: Socket) => void) {
    const server = createServer(onSocket);
    servers.push(server);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }
  /** A port nothing listens on any more. */
  async function closedPort() {
    const server = createServer();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise(resolve => server.close(resolve));
    return port;
  }

  // No configured secrets: the probe itself must keep credentials out.
  const probeWith = (cache: object, timeoutMs = 5_000) =>
    runProbe(
      cacheRedisProbe(
        mockServices.rootConfig({ data: { backend: { cache } } }),
      ),
      { timeoutMs, probePlatforms: false, secrets: [] },
    );

  describeWithRedis(`against the Redis at ${TEST_REDIS_URL}`, () => {
    it('is ok when Redis answers the PING', async () => {
      expect(
        await probeWith({ store: 'redis', connection: TEST_REDIS_URL }),
      ).toMatchObject({
        id: 'redis',
        verdict: 'ok',
        message: `Redis at ${TEST_REDIS_HOST}:${TEST_REDIS_PORT} answered PONG`,
        fix: null,
        latencyMs: expect.any(Number),
      });
    });

    it('reads the object form of the connection', async () => {
      expect(
        await probeWith({
          store: 'redis',
          connection: { url: TEST_REDIS_URL, pingInterval: 1000 },
        }),
      ).toMatchObject({ verdict: 'ok' });
    });

    it('PINGs every root node of a cluster', async () => {
      expect(
        await probeWith({
          store: 'redis',
          redis: {
            cluster: {
              rootNodes: [
                { url: TEST_REDIS_URL },
                { socket: { host: TEST_REDIS_HOST, port: TEST_REDIS_PORT } },
              ],
            },
          },
        }),
      ).toMatchObject({
        verdict: 'ok',
        message: 'every root node of the Redis cluster (2) answered PONG',
      });
    });

    it('is failing when Redis refuses the credentials, without showing them', async () => {
      const password = 'redis-pass-s3cr3t';
      const result = await probeWith({
        store: 'redis',
        connection: `redis://workflows:${password}@${TEST_REDIS_HOST}:${TEST_REDIS_PORT}`,
      });
      expect(result).toMatchObject({
        verdict: 'failing',
        message: `Redis at ${TEST_REDIS_HOST}:${TEST_REDIS_PORT} refused the credentials (WRONGPASS)`,
        fix: expect.stringContaining('backend.cache.connection'),
      });
      expect(JSON.stringify(result)).not.toContain(password);
      expect(JSON.stringify(result)).not.toContain('workflows:');
    });
  });

  it('is failing when nothing listens at the port, without showing the password', async () => {
    const port = await closedPort();
    const result = await probeWith({
      store: 'redis',
      connection: `redis://:redis-pass-s3cr3t@127.0.0.1:${port}`,
    });
    expect(result).toMatchObject({
      verdict: 'failing',
      message: `Redis at 127.0.0.1:${port} refused the connection`,
    });
    expect(JSON.stringify(result)).not.toContain('redis-pass-s3cr3t');
  });

  it('times out when Redis never answers, and closes the connection', async () => {
    let closed: Promise<void> | undefined;
    const port = await listening(socket => {
      // Read, so that the client's end of the connection is seen.
      socket.resume();
      closed = new Promise(resolve => socket.on('close', () => resolve()));
    });
    expect(
      await probeWith(
        { store: 'redis', connection: `redis://127.0.0.1:${port}` },
        300,
      ),
    ).toMatchObject({ verdict: 'failing', message: 'timed out after 0.3 s' });
    expect(closed).toBeDefined();
    await closed;
  });

  it.each([
    [{ store: 'memory' }, 'not probed: the cache is not Redis (memory)'],
    [{}, 'not probed: the cache is not Redis (memory)'],
    [{ store: 'valkey' }, 'not probed: the cache is not Redis (valkey)'],
  ])('is not probed for the cache %j', async (cache, message) => {
    expect(await probeWith(cache)).toMatchObject({
      verdict: 'not-probed',
      message,
      latencyMs: null,
    });
  });

  it('is failing for cluster root nodes that are not a list', async () => {
    expect(
      await probeWith({
        store: 'redis',
        connection: 'redis://127.0.0.1:6379',
        redis: { cluster: { rootNodes: 'redis://127.0.0.1:6379' } },
      }),
    ).toMatchObject({
      verdict: 'failing',
      message:
        'backend.cache.redis.cluster.rootNodes is not a list of nodes to connect to',
    });
  });

  it('fails on the first cluster node that does not answer, naming it', async () => {
    const port = await closedPort();
    expect(
      await probeWith({
        store: 'redis',
        redis: {
          cluster: {
            rootNodes: [{ socket: { host: '127.0.0.1', port } }],
            defaults: { password: 'cluster-pass-s3cr3t' },
          },
        },
      }),
    ).toMatchObject({
      verdict: 'failing',
      message: `Redis at 127.0.0.1:${port} refused the connection`,
    });
  });

  it('is failing when the redis store has no connection', async () => {
    expect(await probeWith({ store: 'redis' })).toMatchObject({
      verdict: 'failing',
      message:
        'backend.cache.connection is not set: the cache has no Redis to connect to',
    });
  });
});
