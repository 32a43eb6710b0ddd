export interface Config {
  workflows?: {
    /** The car registrations, COE results and social posting runners. */
    sgcarstrends?: {
      /** Catalog entity ref of the team that owns the runners. */
      owner?: string;
      /** Public site the posts link to. Default https://sgcarstrends.com */
      siteUrl?: string;
      /** Schedule of the trigger runner. Default every hour 00-10 UTC on weekdays. */
      schedule?: { cron?: string; timezone?: string };
      source?: {
        /** Serve and use the small sample files bundled with the module instead of LTA DataMall. */
        useBundledSamples?: boolean;
        /** Base URL of the LTA vehicle registration ZIPs. */
        baseUrl?: string;
        /** Largest ZIP accepted, in MiB. Default 50. */
        maxZipMegabytes?: number;
      };
      social?: {
        /** Record the messages instead of sending them. */
        dryRun?: boolean;
        /** Platforms to post to: discord, telegram, linkedin, twitter. Default all. */
        platforms?: string[];
      };
      /**
       * Knex configuration of the database the car and COE tables are written
       * to. Default: the workflows plugin's own database.
       * @visibility secret
       */
      database?: object;
    };
  };
}
