import { CacheManager } from '@backstage/backend-defaults/cache';
import type { CacheService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ProbeResultCache } from './ProbeResultCache';
import type { ProbeRecord } from './probeRunner';

const record: ProbeRecord = {
  id: 'qstash-token',
  title: 'QStash token (authenticated read)',
  verdict: 'ok',
  message: 'QStash accepted the token',
  fix: null,
  latencyMs: 12,
  checkedAt: '2026-12-01T10:00:00.000Z',
};

function memoryCache(): CacheService {
  return CacheManager.fromConfig(
    mockServices.rootConfig({
      data: { backend: { cache: { store: 'memory' } } },
    }),
  ).forPlugin('workflows');
}

describe('the probe result cache', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps a result for 60 s', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z') });
    const cache = new ProbeResultCache(
      memoryCache(),
      mockServices.logger.mock(),
    );
    await cache.set('backend:qstash-token', record);
    jest.setSystemTime(new Date('2026-12-01T10:00:59Z'));
    expect(await cache.get('backend:qstash-token')).toEqual(record);
    jest.setSystemTime(new Date('2026-12-01T10:01:01Z'));
    expect(await cache.get('backend:qstash-token')).toBeUndefined();
  });

  it('probes again when the cache holds something else or does not answer', async () => {
    const logger = mockServices.logger.mock();
    const real = memoryCache();
    await real.set('health-probe:odd', { not: 'a probe result' });
    expect(await new ProbeResultCache(real, logger).get('odd')).toBeUndefined();

    const hanging: CacheService = {
      get: () => new Promise(() => {}),
      set: () => new Promise(() => {}),
      delete: async () => {},
      withOptions: () => hanging,
    };
    const cache = new ProbeResultCache(hanging, logger);
    const started = Date.now();
    expect(await cache.get('backend:qstash-token')).toBeUndefined();
    await cache.set('backend:qstash-token', record);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
