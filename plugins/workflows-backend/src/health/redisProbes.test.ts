import { CacheManager } from '@backstage/backend-defaults/cache';
import type { CacheService } from '@backstage/backend-plugin-api';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
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

function cacheOf(store: object) {
  return CacheManager.fromConfig(
    mockServices.rootConfig({ data: { backend: { cache: store } } }),
    { onError: () => {} },
  ).forPlugin('workflows');
}

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

describe('the Backstage cache Redis', () => {
  it('is ok when a write can be read back through the cache service', async () => {
    expect(
      await run(cacheRedisProbe(cacheOf({ store: 'memory' }))),
    ).toMatchObject({
      id: 'redis',
      verdict: 'ok',
    });
  });

  it('is failing when Redis cannot be reached (the client waits to reconnect)', async () => {
    // Nothing listens on port 1: the real Redis client never connects.
    const cache = cacheOf({
      store: 'redis',
      connection: 'redis://127.0.0.1:1',
    });
    expect(await run(cacheRedisProbe(cache), 300)).toMatchObject({
      verdict: 'failing',
      message: 'timed out after 0.3 s',
    });
  });

  it('is failing when the cache loses what was written', async () => {
    const real = cacheOf({ store: 'memory' });
    const forgetful: CacheService = {
      set: (key, value, options) => real.set(key, value, options),
      get: async () => undefined,
      delete: key => real.delete(key),
      withOptions: options => real.withOptions(options),
    };
    expect(await run(cacheRedisProbe(forgetful))).toMatchObject({
      verdict: 'failing',
      message: 'the cache did not return the value just written to it',
    });
  });
});
