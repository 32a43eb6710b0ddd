import {
  SignInPage,
  type SignInProviderConfig,
} from '@backstage/core-components';
import {
  configApiRef,
  createFrontendModule,
  githubAuthApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import {
  SignInPageBlueprint,
  type SignInPageProps,
} from '@backstage/plugin-app-react';
import { DEFAULT_OIDC_TITLE, oidcAuthApi, oidcAuthApiRef } from './oidcAuthApi';

type ProviderChoice = 'guest' | SignInProviderConfig;

/**
 * The choices of `app.signIn.providers` (the list the backend loads too);
 * guest alone when it is unset, as in the embedded default.
 */
export function signInProviders(
  ids: readonly string[],
  oidcTitle: string,
): ProviderChoice[] {
  return ids.map((id): ProviderChoice => {
    switch (id) {
      case 'guest':
        return 'guest';
      case 'github':
        return {
          id: 'github-auth-provider',
          title: 'GitHub',
          message: 'Sign in with GitHub',
          apiRef: githubAuthApiRef,
        };
      case 'oidc':
        return {
          id: 'oidc-auth-provider',
          title: oidcTitle,
          message: `Sign in with ${oidcTitle}`,
          apiRef: oidcAuthApiRef,
        };
      default:
        // The config schema allows only the ids above.
        throw new Error(`app.signIn.providers: unknown provider '${id}'`);
    }
  });
}

/** The sign-in page with the providers the config lists. */
export function ConfiguredSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const providers = signInProviders(
    config.getOptionalStringArray('app.signIn.providers') ?? ['guest'],
    config.getOptionalString('app.signIn.oidc.title') ?? DEFAULT_OIDC_TITLE,
  );
  return <SignInPage {...props} providers={providers} />;
}

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => ConfiguredSignInPage,
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, oidcAuthApi],
});
