export interface Config {
  workflows?: {
    scaffolder?: {
      /**
       * Where `workflows:publish:local` writes new workflows, one folder per
       * id. Relative paths are read from the backend's working directory.
       * Without it the action refuses to run.
       */
      localDirectory?: string;
    };
  };
}
