export interface Config {
  /** Configuration of the workflows plugin. */
  workflows?: {
    /**
     * Entity refs of the users and groups allowed to trigger, cancel, retry
     * and reschedule workflows (read access is open to every signed-in user).
     */
    operators?: string[];
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
