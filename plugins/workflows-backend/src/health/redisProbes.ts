import type { Config } from '@backstage/config';
import type {
  HealthProbe,
  HealthProbeOutcome,
} from '@internal/plugin-workflows-node';
import { createClient, RedisClientOptions } from '@redis/client';
import { z } from 'zod';

/** `backend.cache.connection` of the redis store: a URL, or client options with one. */
const connectionSchema = z.union([
  z.string().trim().min(1),
  z.object({ url: z.string().trim().min(1) }).passthrough(),
]);

/** `backend.cache.redis.cluster`: the nodes Backstage discovers the cluster from. */
const clusterSchema = z.object({
  rootNodes: z.array(z.object({}).passthrough()).min(1),
  defaults: z.object({}).passthrough().optional(),
});

type NodeOptions = Record<string, unknown> & {
  url?: unknown;
  socket?: unknown;
};

const FIX =
  'check backend.cache.connection (host, port, user and password) in the app config and that Redis accepts connections from this backend';

/** `host:port` of a node, never its user or password. */
function addressOf(node: NodeOptions): string {
  if (typeof node.url === 'string') {
    try {
      const url = new URL(node.url);
      return `${url.hostname}:${url.port || '6379'}`;
    } catch {
      return 'the configured address';
    }
  }
  const socket = z
    .object({ host: z.string().optional(), port: z.number().optional() })
    .passthrough()
    .safeParse(node.socket);
  return socket.success
    ? `${socket.data.host ?? 'localhost'}:${socket.data.port ?? 6379}`
    : 'the configured address';
}

/** Why a PING failed, in words that hold no credential. */
function pingFailure(address: string, error: unknown): HealthProbeOutcome {
  const { code, message } = z
    .object({ code: z.string().optional(), message: z.string().default('') })
    .catch({ message: String(error) })
    .parse(error);
  if (
    /^(WRONGPASS|NOAUTH)\b|^ERR (AUTH|invalid password|invalid username)/i.test(
      message,
    )
  ) {
    return {
      verdict: 'failing',
      message: `Redis at ${address} refused the credentials (${
        /^ERR/i.test(message) ? 'ERR AUTH' : message.split(' ')[0]
      })`,
      fix: 'set the user and password of backend.cache.connection to an account of this Redis',
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      verdict: 'failing',
      message: `Redis at ${address} refused the connection`,
      fix: FIX,
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      verdict: 'failing',
      message: `the host of Redis at ${address} was not found`,
      fix: FIX,
    };
  }
  return {
    verdict: 'failing',
    message: `Redis at ${address} did not answer the PING: ${
      message || code || 'no reason given'
    }`,
    fix: FIX,
  };
}

/** One PING on a connection of its own, closed whatever happens. */
async function pingNode(
  node: NodeOptions,
  signal: AbortSignal,
): Promise<HealthProbeOutcome> {
  const address = addressOf(node);
  const client = createClient({
    ...(node as RedisClientOptions),
    // One attempt: a refused connection is the answer, not a reason to wait.
    socket: { ...(node.socket as object), reconnectStrategy: false },
    disableOfflineQueue: true,
  });
  // The client also emits what connect() rejects with; unheard, it would crash the process.
  client.on('error', () => {});
  // Before its socket connects the client cannot close it: a probe aborted
  // then closes it as soon as it connects.
  let connected = false;
  const close = () => {
    if (connected && client.isOpen) client.disconnect().catch(() => {});
  };
  client.on('connect', () => {
    connected = true;
    if (signal.aborted) close();
  });
  signal.addEventListener('abort', close, { once: true });
  try {
    await client.connect();
    const reply = await client.ping();
    return reply === 'PONG'
      ? { verdict: 'ok', message: `Redis at ${address} answered PONG` }
      : {
          verdict: 'failing',
          message: `Redis at ${address} answered the PING without PONG`,
          fix: FIX,
        };
  } catch (error) {
    return pingFailure(address, error);
  } finally {
    signal.removeEventListener('abort', close);
    close();
  }
}

/**
 * The Redis behind the Backstage cache (`backend.cache.store: redis`): a
 * PING on a connection of its own to `backend.cache.connection`, or to every
 * root node of `backend.cache.redis.cluster`, as the cache connects.
 */
export function cacheRedisProbe(config: Config): HealthProbe {
  return {
    id: 'redis',
    title: 'Redis (the Backstage cache)',
    async probe({ signal }): Promise<HealthProbeOutcome> {
      const store = config.getOptionalString('backend.cache.store') ?? 'memory';
      if (store !== 'redis') {
        return {
          verdict: 'not-probed',
          message: `not probed: the cache is not Redis (${store})`,
        };
      }
      // Without root nodes the cache ignores the cluster block, and so does the probe.
      if (config.has('backend.cache.redis.cluster.rootNodes')) {
        const parsed = clusterSchema.safeParse(
          config.get('backend.cache.redis.cluster'),
        );
        if (!parsed.success) {
          return {
            verdict: 'failing',
            message:
              'backend.cache.redis.cluster.rootNodes is not a list of nodes to connect to',
            fix: 'list the cluster nodes in backend.cache.redis.cluster.rootNodes, each as { url } or { socket: { host, port } }',
          };
        }
        const { rootNodes } = parsed.data;
        // As the cache does: the options of an object connection apply to every node.
        const connection = config.getOptional('backend.cache.connection');
        const { url: _url, ...shared } =
          connection &&
          typeof connection === 'object' &&
          !Array.isArray(connection)
            ? (connection as NodeOptions)
            : {};
        const defaults = { ...parsed.data.defaults, ...shared };
        const outcomes = await Promise.all(
          rootNodes.map(node => pingNode({ ...defaults, ...node }, signal)),
        );
        const failed = outcomes.find(outcome => outcome.verdict !== 'ok');
        return (
          failed ?? {
            verdict: 'ok',
            message: `every root node of the Redis cluster (${rootNodes.length}) answered PONG`,
          }
        );
      }
      const connection = connectionSchema.safeParse(
        config.getOptional('backend.cache.connection'),
      );
      if (!connection.success) {
        return {
          verdict: 'failing',
          message:
            'backend.cache.connection is not set: the cache has no Redis to connect to',
          fix: 'set backend.cache.connection to the redis:// URL of the cache',
        };
      }
      return pingNode(
        typeof connection.data === 'string'
          ? { url: connection.data }
          : connection.data,
        signal,
      );
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
