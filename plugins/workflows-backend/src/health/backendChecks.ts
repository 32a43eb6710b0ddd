import type { Config } from '@backstage/config';
import type { WorkflowSummary } from '@internal/plugin-workflows-common';
import type { HealthProbe } from '@internal/plugin-workflows-node';
import type { QStashGateway } from '../qstash/QStashGateway';
import type { QStashConnection } from '../runners/qstashConnection';
import { databaseUrlProbe, pluginDatabaseProbe } from './databaseProbes';
import type { PlannedProbe, WorkflowHealthPlan } from './healthPlan';
import { qstashTokenProbe, signingKeysProbe } from './qstashProbes';
import { cacheRedisProbe, upstashRedisProbe } from './redisProbes';
import type { VariableReading, VariableSpec } from './variableChecks';

export type HealthEnv = Readonly<Record<string, string | undefined>>;

export interface BackendHealthChecksOptions {
  config: Config;
  connection: QStashConnection | undefined;
  gateway: QStashGateway | undefined;
  /** Throws when the plugin database does not answer. */
  pingDatabase(): Promise<void>;
  databaseClient: string;
  env: HealthEnv;
}

const QSTASH_TOKEN: VariableSpec = {
  name: 'workflows.qstash.token',
  kind: 'config',
  format: 'token',
  secret: true,
  fix: 'set workflows.qstash.token in the app config (usually ${QSTASH_TOKEN})',
};
const QSTASH_URL: VariableSpec = {
  name: 'workflows.qstash.url',
  kind: 'config',
  format: 'url',
  optional: true,
  secret: false,
  fix: 'set workflows.qstash.url to the QStash of the token\u2019s region (QSTASH_URL); without it https://qstash.upstash.io is used',
};
/** Runners only: the keys their deliveries are verified with. */
const SIGNING_KEYS: VariableSpec[] = (
  [
    ['currentSigningKey', 'QSTASH_CURRENT_SIGNING_KEY'],
    ['nextSigningKey', 'QSTASH_NEXT_SIGNING_KEY'],
  ] as const
).map(([key, envName]) => ({
  name: `workflows.qstash.${key}`,
  kind: 'config',
  format: 'prefix:sig_',
  secret: true,
  fix: `set workflows.qstash.${key} in the app config (usually \${${envName}}); without both keys the runner endpoints stay disabled`,
}));

/**
 * The variables the runner host hands every runner from `workflows.qstash`
 * (see RunnerHost), so the config key supplies them as well as the variable.
 */
const HOST_SUPPLIED_VARIABLES: ReadonlyMap<string, string> = new Map([
  ['QSTASH_URL', 'workflows.qstash.url'],
  ['QSTASH_TOKEN', 'workflows.qstash.token'],
  ['QSTASH_CURRENT_SIGNING_KEY', 'workflows.qstash.currentSigningKey'],
  ['QSTASH_NEXT_SIGNING_KEY', 'workflows.qstash.nextSigningKey'],
]);

/**
 * Secret config values removed from every message: what this plugin reads,
 * and the connections a driver's error could quote (a URL's password too).
 */
const SECRET_CONFIG_KEYS = [
  'workflows.qstash.token',
  'workflows.qstash.currentSigningKey',
  'workflows.qstash.nextSigningKey',
  'workflows.alerts.discordWebhookUrl',
  'backend.cache.connection',
  'backend.cache.connection.url',
  'backend.cache.connection.password',
  'backend.cache.redis.cluster.defaults.url',
  'backend.cache.redis.cluster.defaults.password',
  'backend.database.connection',
  'backend.database.connection.password',
];

/**
 * What the backend checks for every workflow besides what its runner
 * declares: the QStash config, the database its runs are recorded in (or
 * DATABASE_URL when the workflow names it), the cache's Redis, Upstash Redis
 * when named, the QStash token and, for hosted runners, signing-key drift.
 */
export class BackendHealthChecks {
  private readonly shared: Record<
    | 'pluginDatabase'
    | 'databaseUrl'
    | 'cacheRedis'
    | 'upstashRedis'
    | 'qstashToken'
    | 'signingKeys',
    PlannedProbe
  >;
  /** Environment variables a config key supplies too, by name. */
  readonly configKeys = HOST_SUPPLIED_VARIABLES;

  constructor(private readonly options: BackendHealthChecksOptions) {
    const planned = (cacheKey: string, probe: HealthProbe): PlannedProbe => ({
      cacheKey: `backend:${cacheKey}`,
      probe,
    });
    this.shared = {
      pluginDatabase: planned(
        'plugin-database',
        pluginDatabaseProbe({
          ping: options.pingDatabase,
          client: options.databaseClient,
        }),
      ),
      databaseUrl: planned('database-url', databaseUrlProbe(options.env)),
      cacheRedis: planned('cache-redis', cacheRedisProbe(options.config)),
      upstashRedis: planned('upstash-redis', upstashRedisProbe(options.env)),
      qstashToken: planned('qstash-token', qstashTokenProbe(options.gateway)),
      signingKeys: planned(
        'signing-keys',
        signingKeysProbe(options.connection, options.gateway),
      ),
    };
  }

  /** `envNames`: the environment variables the workflow declares. */
  planFor(
    workflow: WorkflowSummary,
    envNames: ReadonlySet<string>,
  ): WorkflowHealthPlan {
    const hosted = workflow.source === 'runner';
    const probes: PlannedProbe[] = [
      envNames.has('DATABASE_URL')
        ? this.shared.databaseUrl
        : this.shared.pluginDatabase,
      this.shared.cacheRedis,
    ];
    if (
      envNames.has('UPSTASH_REDIS_REST_URL') ||
      envNames.has('UPSTASH_REDIS_REST_TOKEN')
    ) {
      probes.push(this.shared.upstashRedis);
    }
    probes.push(this.shared.qstashToken);
    if (hosted) probes.push(this.shared.signingKeys);
    return {
      variables: hosted
        ? [QSTASH_TOKEN, QSTASH_URL, ...SIGNING_KEYS]
        : [QSTASH_TOKEN, QSTASH_URL],
      probes,
    };
  }

  /** A config key's value, or why it cannot be read as text. */
  readConfig(key: string): VariableReading {
    try {
      return { value: this.options.config.getOptionalString(key) };
    } catch {
      return { unreadable: 'not a text value' };
    }
  }

  /** The secret config values this backend holds. */
  configSecrets(): string[] {
    return SECRET_CONFIG_KEYS.flatMap(key => {
      const { value } = this.readConfig(key);
      return value ? [value] : [];
    });
  }
}
