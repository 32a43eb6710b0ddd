import { ConfigReader } from '@backstage/config';
import { loadRepoConfig } from './__testUtils__/loadRepoConfig';
import { readSignInProviders } from './signInProviders';

const GITHUB_ENV = {
  AUTH_GITHUB_CLIENT_ID: 'github-client',
  AUTH_GITHUB_CLIENT_SECRET: 'github-secret',
};
const OIDC_ENV = {
  AUTH_OIDC_METADATA_URL:
    'https://idp.example.test/.well-known/openid-configuration',
  AUTH_OIDC_CLIENT_ID: 'portal',
  AUTH_OIDC_CLIENT_SECRET: 'oidc-secret',
  AUTH_SESSION_SECRET: 'session-secret',
};

// How production runs: the embedded defaults with the production file on top.
const PRODUCTION = ['app-config.yaml', 'app-config.production.yaml'];

// any: plain config data, edited in place by path below.
type ConfigData = Record<string, any>;

/** The production config with its sign-in list replaced by `providers`. */
async function productionWith(
  env: Record<string, string>,
  providers?: string[],
) {
  const config = await loadRepoConfig(PRODUCTION, env);
  const data = config.get<ConfigData>();
  if (providers) data.app.signIn.providers = providers;
  return new ConfigReader(data);
}

describe('readSignInProviders', () => {
  it('offers guest alone in the embedded default', async () => {
    const config = await loadRepoConfig(['app-config.yaml'], {});
    expect(readSignInProviders(config)).toEqual(['guest']);
  });

  it('loads GitHub and OIDC in production, and not the guest that app-config.yaml configures', async () => {
    const config = await loadRepoConfig(PRODUCTION, {
      ...GITHUB_ENV,
      ...OIDC_ENV,
    });
    expect(config.has('auth.providers.guest')).toBe(true);
    expect(readSignInProviders(config)).toEqual(['github', 'oidc']);
  });

  it('needs no OIDC variables when only GitHub is offered', async () => {
    expect(
      readSignInProviders(await productionWith(GITHUB_ENV, ['github'])),
    ).toEqual(['github']);
  });

  it('names the variables a listed provider lacks', async () => {
    const { AUTH_OIDC_CLIENT_SECRET, ...withoutSecret } = OIDC_ENV;
    expect(AUTH_OIDC_CLIENT_SECRET).toBeDefined();
    await expect(
      productionWith({ ...GITHUB_ENV, ...withoutSecret }).then(
        readSignInProviders,
      ),
    ).rejects.toThrow(
      'app.signIn.providers offers oidc, but auth.providers.oidc.production is missing clientSecret (app-config.production.yaml reads AUTH_OIDC_CLIENT_SECRET); set them or remove oidc from app.signIn.providers',
    );
    await expect(
      productionWith(OIDC_ENV).then(readSignInProviders),
    ).rejects.toThrow(
      /github.*missing clientId, clientSecret.*AUTH_GITHUB_CLIENT_ID, AUTH_GITHUB_CLIENT_SECRET/,
    );
  });

  it('refuses OIDC without a session secret', async () => {
    const { AUTH_SESSION_SECRET, ...env } = OIDC_ENV;
    expect(AUTH_SESSION_SECRET).toBeDefined();
    await expect(
      productionWith(env, ['oidc']).then(readSignInProviders),
    ).rejects.toThrow(/auth\.session\.secret is not set.*AUTH_SESSION_SECRET/);
  });

  it('refuses guest outside development, listed or by default', async () => {
    const env = { ...GITHUB_ENV, ...OIDC_ENV };
    await expect(
      productionWith(env, ['github', 'guest']).then(readSignInProviders),
    ).rejects.toThrow(/guest, which is for development only/);
    const unset = new ConfigReader({
      auth: { environment: 'production', providers: { guest: {} } },
    });
    expect(() => readSignInProviders(unset)).toThrow(
      /guest is the default when the list is unset/,
    );
  });

  it('refuses unknown and empty lists, naming the entry', () => {
    const config = (providers: string[]) =>
      new ConfigReader({ app: { signIn: { providers } } });
    expect(() => readSignInProviders(config(['guest', 'gitlab']))).toThrow(
      "app.signIn.providers[1] is 'gitlab', which is not one of guest, github, oidc",
    );
    expect(() => readSignInProviders(config([]))).toThrow(
      /app\.signIn\.providers is empty/,
    );
  });

  it('refuses sign-in without a catalog user outside development', async () => {
    const config = await productionWith({ ...GITHUB_ENV, ...OIDC_ENV });
    const data = config.get<ConfigData>();
    data.auth.providers.github.production.signIn.resolvers[0].dangerouslyAllowSignInWithoutUserInCatalog =
      true;
    expect(() => readSignInProviders(new ConfigReader(data))).toThrow(
      'auth.providers.github.production.signIn.resolvers[0].dangerouslyAllowSignInWithoutUserInCatalog must be false outside development',
    );
  });

  it('refuses a listed provider without resolvers: nobody could sign in', () => {
    const config = new ConfigReader({
      app: { signIn: { providers: ['github'] } },
      auth: {
        environment: 'production',
        providers: {
          github: { production: { clientId: 'a', clientSecret: 'b' } },
        },
      },
    });
    expect(() => readSignInProviders(config)).toThrow(
      'auth.providers.github.production.signIn.resolvers is empty: nobody could sign in with github',
    );
  });
});
