export interface Config {
  app?: {
    signIn?: {
      /**
       * The sign-in providers the sign-in page offers, in this order; the
       * backend loads the same list. Default: guest (development only).
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github' | 'oidc'>;
      oidc?: {
        /**
         * The organisation's identity provider as the sign-in page names it
         * ("Sign in with <title>").
         * @visibility frontend
         */
        title?: string;
      };
    };
  };
}
