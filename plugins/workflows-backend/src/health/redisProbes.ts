import type { CacheService } from '@backstage/backend-plugin-api';
import type {
  HealthProbe,
  HealthProbeOutcome,
} from '@internal/plugin-workflows-node';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * The Redis behind the Backstage cache (`backend.cache.store: redis`): a
 * write and a read of a short-lived key through the cache service, so the
 * check goes exactly where the cached reads go.
 */
export function cacheRedisProbe(cache: CacheService): HealthProbe {
  return {
    id: 'redis',
    title: 'Redis (the Backstage cache)',
    async probe() {
      const key = `health-probe:ping:${randomUUID()}`;
      const fix =
        'check backend.cache.connection in the app config and that Redis is up';
      try {
        await cache.set(key, 'pong', { ttl: 10_000 });
        const read = await cache.get(key);
        await cache.delete(key);
        if (read !== 'pong') {
          return {
            verdict: 'failing',
            message: 'the cache did not return the value just written to it',
            fix,
          };
        }
        return { verdict: 'ok', message: 'Redis answered a write and a read' };
      } catch (error) {
        return {
          verdict: 'failing',
          message: `Redis did not answer: ${(error as Error).message}`,
          fix,
        };
      }
    },
  };
}

const pingReplySchema = z.object({ result: z.literal('PONG') });

/** Upstash Redis over REST (UPSTASH_REDIS_REST_URL and _TOKEN): a PING. */
export function upstashRedisProbe(
  env: Readonly<Record<string, string | undefined>>,
): HealthProbe {
  return {
    id: 'upstash-redis',
    title: 'Upstash Redis (REST PING)',
    async probe({ signal }): Promise<HealthProbeOutcome> {
      const baseUrl = env.UPSTASH_REDIS_REST_URL?.trim();
      const token = env.UPSTASH_REDIS_REST_TOKEN?.trim();
      if (!baseUrl || !token) {
        return {
          verdict: 'not-probed',
          message:
            'not probed: UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must both be set',
          fix: 'set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN',
        };
      }
      const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/ping`, {
        headers: { authorization: `Bearer ${token}` },
        signal,
      });
      if (response.status === 401 || response.status === 403) {
        return {
          verdict: 'failing',
          message: `Upstash Redis refused the token (HTTP ${response.status})`,
          fix: 'set UPSTASH_REDIS_REST_TOKEN to the REST token of the database at UPSTASH_REDIS_REST_URL',
        };
      }
      if (response.status === 429) {
        return {
          verdict: 'warning',
          message:
            'Upstash Redis is rate limiting this database (HTTP 429): the check could not be made',
          fix: 'check again in a minute; a lasting 429 means the plan limit is reached',
        };
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (!response.ok || !pingReplySchema.safeParse(body).success) {
        return {
          verdict: 'failing',
          message: `Upstash Redis answered the PING with HTTP ${
            response.status
          } and ${body === undefined ? 'a body that is not JSON' : 'no PONG'}`,
          fix: 'check that UPSTASH_REDIS_REST_URL is the REST URL of the database (https://<name>.upstash.io)',
        };
      }
      return { verdict: 'ok', message: 'Upstash Redis answered PONG' };
    },
  };
}
