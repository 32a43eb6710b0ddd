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
        /**
         * Largest uncompressed size of one CSV taken out of a ZIP, in MiB,
         * counted while inflating. Default 64 (the cars CSV is 1.7 MiB).
         */
        maxEntryMegabytes?: number;
        /**
         * Largest uncompressed total of the CSVs taken out of one ZIP, in MiB.
         * Default 128.
         */
        maxTotalMegabytes?: number;
        /**
         * Largest uncompressed/compressed size ratio of one CSV, checked once
         * it has inflated 1 MiB. Default 100 (the real files deflate 3 to 12
         * times). A ZIP over any of these limits fails the ingest step for
         * good, without retries.
         */
        maxCompressionRatio?: number;
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
