import {
  BackendFeature,
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import githubProvider from '@backstage/plugin-auth-backend-module-github-provider';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import oidcProvider from '@backstage/plugin-auth-backend-module-oidc-provider';

/** The sign-in providers the portal knows, as named in `app.signIn.providers`. */
export const SIGN_IN_PROVIDER_IDS = ['guest', 'github', 'oidc'] as const;
export type SignInProviderId = (typeof SIGN_IN_PROVIDER_IDS)[number];

/**
 * The settings each provider cannot start without, with the environment
 * variable app-config.production.yaml reads each one from, so the startup
 * error can say what to set.
 */
const REQUIRED_SETTINGS: Record<
  Exclude<SignInProviderId, 'guest'>,
  Array<{ key: string; env: string }>
> = {
  github: [
    { key: 'clientId', env: 'AUTH_GITHUB_CLIENT_ID' },
    { key: 'clientSecret', env: 'AUTH_GITHUB_CLIENT_SECRET' },
  ],
  oidc: [
    { key: 'metadataUrl', env: 'AUTH_OIDC_METADATA_URL' },
    { key: 'clientId', env: 'AUTH_OIDC_CLIENT_ID' },
    { key: 'clientSecret', env: 'AUTH_OIDC_CLIENT_SECRET' },
  ],
};

const MODULES: Record<SignInProviderId, BackendFeature> = {
  guest: guestProvider,
  github: githubProvider,
  oidc: oidcProvider,
};

function isKnownProvider(id: string): id is SignInProviderId {
  return (SIGN_IN_PROVIDER_IDS as readonly string[]).includes(id);
}

/**
 * The providers of `app.signIn.providers` (guest when unset, as in the
 * embedded default), each checked against its `auth.providers` settings so
 * that a missing variable stops the backend with a message naming it, rather
 * than a sign-in button that fails later.
 */
export function readSignInProviders(config: Config): SignInProviderId[] {
  const environment =
    config.getOptionalString('auth.environment') ?? 'development';
  const listed = config.getOptionalStringArray('app.signIn.providers') ?? [
    'guest',
  ];
  if (listed.length === 0) {
    throw new Error(
      'app.signIn.providers is empty: list at least one of guest, github, oidc',
    );
  }
  const providers: SignInProviderId[] = [];
  listed.forEach((id, index) => {
    if (!isKnownProvider(id)) {
      throw new Error(
        `app.signIn.providers[${index}] is '${id}', which is not one of ${SIGN_IN_PROVIDER_IDS.join(
          ', ',
        )}`,
      );
    }
    if (!providers.includes(id)) providers.push(id);
  });

  for (const id of providers) {
    if (id === 'guest') {
      if (environment !== 'development') {
        throw new Error(
          `app.signIn.providers offers guest, which is for development only, but auth.environment is '${environment}'; list github and/or oidc instead${
            config.has('app.signIn.providers')
              ? ''
              : ' (guest is the default when the list is unset)'
          }`,
        );
      }
      if (!config.has('auth.providers.guest')) {
        throw new Error(
          'app.signIn.providers offers guest, but auth.providers.guest is not configured',
        );
      }
      continue;
    }
    const path = `auth.providers.${id}.${environment}`;
    const settings = config.getOptionalConfig(path);
    const missing = REQUIRED_SETTINGS[id].filter(
      ({ key }) => !settings?.getOptionalString(key),
    );
    if (missing.length > 0) {
      throw new Error(
        `app.signIn.providers offers ${id}, but ${path} is missing ${missing
          .map(m => m.key)
          .join(', ')} (app-config.production.yaml reads ${missing
          .map(m => m.env)
          .join(', ')}); set them or remove ${id} from app.signIn.providers`,
      );
    }
    // The OIDC strategy keeps its state, nonce and PKCE verifier in the
    // session, which the auth plugin only sets up with a secret.
    if (id === 'oidc' && !config.getOptionalString('auth.session.secret')) {
      throw new Error(
        'app.signIn.providers offers oidc, but auth.session.secret is not set (app-config.production.yaml reads AUTH_SESSION_SECRET)',
      );
    }
    const resolvers = settings?.getOptionalConfigArray('signIn.resolvers');
    if (!resolvers || resolvers.length === 0) {
      throw new Error(
        `${path}.signIn.resolvers is empty: nobody could sign in with ${id}`,
      );
    }
    // Signing in someone the catalog does not know would hand out
    // ownership refs nobody granted; only a development setup may do that.
    resolvers.forEach((resolver, index) => {
      if (
        environment !== 'development' &&
        resolver.getOptionalBoolean(
          'dangerouslyAllowSignInWithoutUserInCatalog',
        )
      ) {
        throw new Error(
          `${path}.signIn.resolvers[${index}].dangerouslyAllowSignInWithoutUserInCatalog must be false outside development`,
        );
      }
    });
  }
  return providers;
}

/**
 * Adds the auth provider modules of `app.signIn.providers`, and only those:
 * an unlisted provider needs no settings, and guest never loads outside
 * development (its module would also refuse sign-ins unless NODE_ENV is
 * development, which stays as a second guard).
 */
export const signInProviderModules = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    for (const id of readSignInProviders(config)) {
      yield MODULES[id];
    }
  },
});
