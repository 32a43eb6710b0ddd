import { type Entity } from '@backstage/catalog-model';
import {
  workflowReadPermission,
  workflowRunTriggerPermission,
} from '@internal/plugin-workflows-common';
import { decodeJwt } from 'jose';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  createFakeOidcIssuer,
  type OidcUser,
} from './__testUtils__/fakeOidcIssuer';
import { loadRepoConfig } from './__testUtils__/loadRepoConfig';
import {
  cookieHeader,
  type Cookies,
  keepCookies,
  popupMessage,
  startSignInBackend,
} from './__testUtils__/signInBackend';

const ISSUER = 'https://idp.example.test';
const APP_URL = 'http://localhost:3000';

// The variables app-config.production.yaml reads for sign-in.
const ENV: Record<string, string> = {
  AUTH_GITHUB_CLIENT_ID: 'github-client',
  AUTH_GITHUB_CLIENT_SECRET: 'github-secret',
  AUTH_OIDC_METADATA_URL: `${ISSUER}/.well-known/openid-configuration`,
  AUTH_OIDC_CLIENT_ID: 'portal',
  AUTH_OIDC_CLIENT_SECRET: 'oidc-client-secret',
  AUTH_SESSION_SECRET: 'session-secret-for-tests',
  WORKFLOWS_OPERATORS_GROUP: 'group:default/platform',
};

/** The sign-in parts of the production config file, as the backend sees them. */
async function productionSignInConfig() {
  const config = await loadRepoConfig(['app-config.production.yaml'], ENV);
  return {
    app: { baseUrl: APP_URL, signIn: config.get('app.signIn') },
    backend: { baseUrl: 'http://localhost:7007' },
    auth: config.get('auth'),
    permission: { enabled: true },
    workflows: { operators: config.get('workflows.operators') },
  };
}

function user(name: string, email: string, groups: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email }, memberOf: groups },
    // What the catalog's processing adds for spec.memberOf.
    relations: groups.map(group => ({
      type: 'memberOf',
      targetRef: `group:default/${group}`,
    })),
  };
}

const entities: Entity[] = [
  user('jane', 'jane@example.com', ['platform']),
  user('bob', 'bob@example.com', ['marketing']),
  ...['platform', 'marketing'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  })),
];

const jane: OidcUser = {
  sub: 'idp-jane',
  email: 'jane@example.com',
  name: 'Jane',
};
const bob: OidcUser = { sub: 'idp-bob', email: 'bob@example.com', name: 'Bob' };
const stranger: OidcUser = {
  sub: 'idp-eve',
  email: 'eve@elsewhere.example',
  name: 'Eve',
};

describe('production sign-in with the OIDC provider', () => {
  const msw = setupServer();
  let idp: Awaited<ReturnType<typeof createFakeOidcIssuer>>;
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    idp = await createFakeOidcIssuer({
      issuer: ISSUER,
      clientId: ENV.AUTH_OIDC_CLIENT_ID,
      clientSecret: ENV.AUTH_OIDC_CLIENT_SECRET,
    });
    msw.use(...idp.handlers);
    // The backend under test is reached for real; nothing else may be.
    msw.listen({
      onUnhandledRequest: (req, print) => {
        const { hostname } = new URL(req.url);
        if (hostname !== 'localhost' && hostname !== '127.0.0.1') print.error();
      },
    });
    server = await startSignInBackend(await productionSignInConfig(), entities);
  }, 60_000);

  afterAll(() => msw.close());

  async function signIn(who: OidcUser) {
    const cookies: Cookies = new Map();
    const start = await request(server)
      .get('/api/auth/oidc/start')
      .query({ env: 'production', origin: APP_URL });
    expect(start.status).toBe(302);
    keepCookies(cookies, start);
    const { query, redirectUri } = idp.authorize(start.headers.location, who);
    expect(new URL(redirectUri).pathname).toBe('/api/auth/oidc/handler/frame');
    const frame = await request(server)
      .get('/api/auth/oidc/handler/frame')
      .query(query)
      .set('Cookie', cookieHeader(cookies));
    expect(frame.status).toBe(200);
    keepCookies(cookies, frame);
    return { message: popupMessage(frame.text), cookies };
  }

  async function decide(token: string, permission: object) {
    const response = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', `Bearer ${token}`)
      .send({ items: [{ id: 'check', permission, resourceRef: 'cars' }] });
    expect(response.status).toBe(200);
    return response.body.items[0].result;
  }

  it('signs a catalog user in by email, with the groups as ownership refs, and lets an operator group member trigger', async () => {
    const { message } = await signIn(jane);
    expect(message.error).toBeUndefined();
    const identity = message.response.backstageIdentity;
    expect(identity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['user:default/jane', 'group:default/platform'],
    });
    expect(decodeJwt(identity.token).sub).toBe('user:default/jane');
    expect(message.response.profile.email).toBe('jane@example.com');

    expect(await decide(identity.token, workflowRunTriggerPermission)).toBe(
      'ALLOW',
    );
  });

  it('denies workflow mutations to a signed-in user outside the operator group, who may still read', async () => {
    const { message } = await signIn(bob);
    const identity = message.response.backstageIdentity;
    expect(identity.identity.ownershipEntityRefs).toEqual([
      'user:default/bob',
      'group:default/marketing',
    ]);
    expect(await decide(identity.token, workflowRunTriggerPermission)).toBe(
      'DENY',
    );
    expect(await decide(identity.token, workflowReadPermission)).toBe('ALLOW');
  });

  it('refuses an email no catalog user has, with the reason, and issues no token', async () => {
    const { message, cookies } = await signIn(stranger);
    expect(message.response).toBeUndefined();
    expect(message.error.message).toMatch(
      /unable to resolve user identity.*catalog contains the expected User entities/,
    );
    expect(cookies.has('oidc-refresh-token')).toBe(false);
  });

  it('signs the user in again from the refresh cookie, as the app does on reload', async () => {
    const { cookies } = await signIn(jane);
    expect(cookies.has('oidc-refresh-token')).toBe(true);
    const refresh = await request(server)
      .get('/api/auth/oidc/refresh')
      .query({ env: 'production' })
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('Cookie', cookieHeader(cookies));
    expect(refresh.status).toBe(200);
    expect(refresh.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/jane',
    );
    expect(idp.tokenRequests.at(-1)?.get('grant_type')).toBe('refresh_token');
  });

  it('keeps the client secret out of what the browser sees', async () => {
    const start = await request(server)
      .get('/api/auth/oidc/start')
      .query({ env: 'production', origin: APP_URL });
    const { message } = await signIn(jane);
    for (const text of [start.headers.location, JSON.stringify(message)]) {
      expect(text).not.toContain(ENV.AUTH_OIDC_CLIENT_SECRET);
      expect(text).not.toContain(ENV.AUTH_SESSION_SECRET);
    }
  });

  it('offers no guest sign-in with the production config', async () => {
    const response = await request(server)
      .get('/api/auth/guest/refresh')
      .query({ env: 'production' })
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(response.status).toBe(404);
  });
});
