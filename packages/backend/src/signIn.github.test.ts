import { type Entity } from '@backstage/catalog-model';
import { workflowRunTriggerPermission } from '@internal/plugin-workflows-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { loadRepoConfig } from './__testUtils__/loadRepoConfig';
import {
  cookieHeader,
  type Cookies,
  keepCookies,
  popupMessage,
  startSignInBackend,
} from './__testUtils__/signInBackend';

const APP_URL = 'http://localhost:3000';

const ENV: Record<string, string> = {
  AUTH_GITHUB_CLIENT_ID: 'github-client',
  AUTH_GITHUB_CLIENT_SECRET: 'github-secret',
  WORKFLOWS_OPERATORS_GROUP: 'group:default/platform',
};

/** GitHub's side of the OAuth app: who logs in, and what the backend asked. */
const github = {
  login: 'jane',
  tokenRequests: [] as URLSearchParams[],
  profileAuthorizations: [] as (string | null)[],
};

const githubHandlers = [
  http.post(
    'https://github.com/login/oauth/access_token',
    async ({ request: req }) => {
      const form = new URLSearchParams(await req.text());
      github.tokenRequests.push(form);
      if (form.get('code') !== `code-for-${github.login}`) {
        return HttpResponse.json({ error: 'bad_verification_code' });
      }
      return HttpResponse.json({
        access_token: `gho_${github.login}`,
        token_type: 'bearer',
        scope: 'read:user',
      });
    },
  ),
  http.get('https://api.github.com/user', ({ request: req }) => {
    github.profileAuthorizations.push(req.headers.get('authorization'));
    return HttpResponse.json({
      login: github.login,
      id: 4242,
      name: github.login === 'jane' ? 'Jane' : 'Someone',
      avatar_url: 'https://avatars.example.test/4242',
    });
  }),
];

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jane', namespace: 'default' },
    spec: { profile: { email: 'jane@example.com' }, memberOf: ['platform'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/platform' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'platform', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

describe('production sign-in with GitHub', () => {
  const msw = setupServer(...githubHandlers);
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    msw.listen({
      onUnhandledRequest: (req, print) => {
        const { hostname } = new URL(req.url);
        if (hostname !== 'localhost' && hostname !== '127.0.0.1') print.error();
      },
    });
    const config = await loadRepoConfig(['app-config.production.yaml'], ENV);
    server = await startSignInBackend(
      {
        // Only GitHub: the OIDC variables are not set in this test.
        app: { baseUrl: APP_URL, signIn: { providers: ['github'] } },
        backend: { baseUrl: 'http://localhost:7007' },
        auth: {
          environment: 'production',
          providers: { github: config.get('auth.providers.github') },
        },
        permission: { enabled: true },
        workflows: { operators: config.get('workflows.operators') },
      },
      entities,
    );
  }, 60_000);

  afterAll(() => msw.close());

  /** The popup's round trip, with GitHub answering as the user `login`. */
  async function signIn(login: string) {
    github.login = login;
    const start = await request(server)
      .get('/api/auth/github/start')
      .query({ env: 'production', origin: APP_URL });
    expect(start.status).toBe(302);
    const startCookies: Cookies = new Map();
    keepCookies(startCookies, start);
    const authorize = new URL(start.headers.location);
    expect(authorize.origin + authorize.pathname).toBe(
      'https://github.com/login/oauth/authorize',
    );
    expect(authorize.searchParams.get('client_id')).toBe('github-client');
    const redirect = new URL(authorize.searchParams.get('redirect_uri')!);
    expect(redirect.pathname).toBe('/api/auth/github/handler/frame');
    // GitHub sends the browser back with a code and the state it was given.
    const frame = await request(server)
      .get(redirect.pathname)
      .query({
        code: `code-for-${login}`,
        state: authorize.searchParams.get('state')!,
      })
      .set('Cookie', cookieHeader(startCookies));
    expect(frame.status).toBe(200);
    return popupMessage(frame.text);
  }

  it('signs in the catalog user named by the GitHub login, with the operator group', async () => {
    const message = await signIn('jane');
    expect(message.error).toBeUndefined();
    const { identity, token } = message.response.backstageIdentity;
    expect(identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['user:default/jane', 'group:default/platform'],
    });
    // The code was exchanged with the app's secret, server to server.
    expect(github.tokenRequests.at(-1)?.get('client_secret')).toBe(
      'github-secret',
    );
    expect(github.profileAuthorizations.at(-1)).toMatch(/gho_jane$/);
    expect(JSON.stringify(message)).not.toContain('github-secret');

    const decision = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', `Bearer ${token}`)
      .send({
        items: [
          {
            id: 'check',
            permission: workflowRunTriggerPermission,
            resourceRef: 'cars',
          },
        ],
      });
    expect(decision.body.items[0].result).toBe('ALLOW');
  });

  it('refuses a GitHub login that no catalog user has', async () => {
    const message = await signIn('octo-stranger');
    expect(message.response).toBeUndefined();
    expect(message.error.message).toMatch(/unable to resolve user identity/);
  });
});
