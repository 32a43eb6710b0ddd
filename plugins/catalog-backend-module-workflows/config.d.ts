export interface Config {
  catalog?: {
    providers?: {
      /** Publishes every workflow of the workflows plugin as a catalog Component. */
      workflows?: {
        /** Seconds between two reads of the workflow list. Default 60. */
        refreshSeconds?: number;
        /** The System the workflow Components are part of. Default workflow-operations. */
        system?: string;
      };
    };
  };
}
