export interface Config {
  /** Configuration of the workflows plugin. */
  workflows?: {
    /**
     * Entity refs of the users and groups allowed to trigger, cancel, retry
     * and reschedule workflows (read access is open to every signed-in user).
     */
    operators?: string[];
    /**
     * Public base URL of this plugin as QStash reaches it (runners are served
     * under <runnerBaseUrl>/runners/<id>). Default: the backend's external URL.
     */
    runnerBaseUrl?: string;
    /**
     * On SIGTERM, how long to wait for runner steps in flight before
     * stopping; new deliveries get 503 meanwhile. Default 15.
     */
    runnerDrainSeconds?: number;
    /** The QStash this backend publishes to and receives from. */
    qstash?: {
      /** Default https://qstash.upstash.io; must match the token's region. */
      url?: string;
      /** @visibility secret */
      token?: string;
      /** @visibility secret */
      currentSigningKey?: string;
      /** @visibility secret */
      nextSigningKey?: string;
    };
    /** Run history kept in the plugin database. */
    history?: {
      /** How often QStash's workflow logs are synced (one replica per interval). Default 60. */
      syncIntervalSeconds?: number;
      /** Runs older than this are removed by an hourly task. Default 90. */
      retentionDays?: number;
      /** How often an open run page stream looks for changes, in ms. Default 1000. */
      streamPollMs?: number;
      /**
       * How often the sync lists a whole dead letter queue, which finds entries
       * that expired or were handled outside the portal. Default 10.
       */
      dlqFullListingMinutes?: number;
    };
    /** The env-var health page's live probes. */
    health?: {
      /** How long one probe may take before it counts as failing. Default 5. */
      probeTimeoutSeconds?: number;
    };
    alerts?: {
      /**
       * Discord webhook that receives a "Workflow failed" embed per failed run.
       * @visibility secret
       */
      discordWebhookUrl?: string;
    };
    /**
     * Workflows hosted elsewhere that the portal tracks by the URL QStash
     * delivers to (QStash has no registry of workflows: the URL is the identity).
     */
    tracked?: Array<{
      /** Stable id, letters, digits, dot, dash and underscore. */
      id: string;
      title: string;
      description?: string;
      /** Catalog entity ref of the owner, e.g. group:default/data-platform. */
      owner: string;
      /** The workflow endpoint QStash calls. */
      url: string;
      schedule?: {
        /** Five-field cron expression. */
        cron: string;
        /** IANA time zone, default UTC. */
        timezone?: string;
      };
      /** Names of the environment variables the workflow needs. */
      requiredEnv?: string[];
    }>;
  };
}
