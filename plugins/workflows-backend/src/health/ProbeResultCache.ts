import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { probeResultSchema } from '@internal/plugin-workflows-common';
import type { ProbeRecord } from './probeRunner';

export const PROBE_RESULT_TTL_MS = 60_000;
/**
 * The cache may be the very Redis that is down: a read or write that takes
 * longer than this is given up, and the probe simply runs.
 */
const CACHE_CALL_TIMEOUT_MS = 1_000;

const storedSchema = probeResultSchema.omit({ cached: true });

function withinDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('the cache did not answer')),
        CACHE_CALL_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Probe results for 60 s in the Backstage cache (Redis in production). */
export class ProbeResultCache {
  constructor(
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
    private readonly ttlMs = PROBE_RESULT_TTL_MS,
  ) {}

  private static key(cacheKey: string): string {
    return `health-probe:${cacheKey}`;
  }

  async get(cacheKey: string): Promise<ProbeRecord | undefined> {
    try {
      const stored = await withinDeadline(
        this.cache.get(ProbeResultCache.key(cacheKey)),
      );
      const parsed = storedSchema.safeParse(stored);
      return parsed.success ? parsed.data : undefined;
    } catch {
      // The store's own error may name its connection (and password): not logged.
      this.logger.warn(
        'The cache did not return a health probe result in time; probing again',
      );
      return undefined;
    }
  }

  async set(cacheKey: string, record: ProbeRecord): Promise<void> {
    try {
      await withinDeadline(
        this.cache.set(ProbeResultCache.key(cacheKey), record, {
          ttl: this.ttlMs,
        }),
      );
    } catch {
      this.logger.warn('The cache did not store a health probe result in time');
    }
  }
}
