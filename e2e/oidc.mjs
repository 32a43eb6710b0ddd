// An OpenID Connect issuer for end-to-end tests (the oidc-provider package),
// and the sign-in popup's authorization-code round trip done over plain HTTP.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

export let Provider;
try {
  ({ default: Provider } = await import('oidc-provider'));
} catch {
  if (process.env.CI) {
    throw new Error('oidc-provider is required in CI: run yarn install');
  }
}

export const CLIENT_ID = 'portal';
export const CLIENT_SECRET = 'e2e-oidc-client-secret';

export const ACCOUNTS = {
  jane: { email: 'jane@example.com', name: 'Jane' },
  bob: { email: 'bob@example.com', name: 'Bob' },
  eve: { email: 'eve@elsewhere.example', name: 'Eve' },
};

// The test's catalog (it replaces the usual locations): Jane is in the
// operator group, Bob is not.
export const USERS = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: marketing }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jane }
spec: { profile: { email: jane@example.com }, memberOf: [platform] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: bob }
spec: { profile: { email: bob@example.com }, memberOf: [marketing] }
`;

/** A port nothing listens on now (the portal's 3000 and 7007 stay free). */
export async function freePort() {
  const server = createServer();
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Cookies per host name, sent on every request to that host. */
export class CookieJar {
  #byHost = new Map();

  keep(url, response) {
    const host = new URL(url).hostname;
    const jar = this.#byHost.get(host) ?? new Map();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    this.#byHost.set(host, jar);
  }

  header(url) {
    const jar = this.#byHost.get(new URL(url).hostname) ?? new Map();
    return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  has(url, name) {
    return this.#byHost.get(new URL(url).hostname)?.has(name) ?? false;
  }
}

export async function get(jar, url, headers = {}) {
  const response = await fetch(url, {
    redirect: 'manual',
    headers: { cookie: jar.header(url), ...headers },
  });
  jar.keep(url, response);
  return response;
}

/** The message the sign-in popup posts back to the app. */
export function popupMessage(html) {
  const match = html.match(
    /var authResponse = decodeURIComponent\('([^']*)'\)/,
  );
  assert.ok(match, `not a sign-in popup response: ${html.slice(0, 300)}`);
  return JSON.parse(decodeURIComponent(match[1]));
}

/**
 * The issuer: oidc-provider with an interaction step that logs in whoever the
 * test names and grants the requested scopes, instead of a login form.
 */
export async function startIssuer(port, redirectUri) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const login = { accountId: 'jane' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: {
      keys: [
        {
          ...privateKey.export({ format: 'jwk' }),
          kid: 'e2e',
          alg: 'RS256',
          use: 'sig',
        },
      ],
    },
    cookies: { keys: ['e2e-cookie-key'] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    features: { devInteractions: { enabled: false } },
    // The backend asks without offline_access; the portal still wants one.
    issueRefreshToken: async (_ctx, client) =>
      client.grantTypeAllowed('refresh_token'),
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx, id) {
      const account = ACCOUNTS[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          email_verified: true,
          name: account.name,
        }),
      };
    },
  });
  const handle = provider.callback();
  const server = createServer(async (req, res) => {
    if (!req.url.startsWith('/interaction/')) return handle(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: login.accountId } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const grant = new provider.Grant({
        accountId: details.session.accountId,
        clientId: details.params.client_id,
      });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  await new Promise(resolve => server.listen(port, '127.0.0.1', resolve));
  return { issuer, server, login };
}

/**
 * What the sign-in popup does: the backend's start URL, the provider's login
 * and consent, the callback; returns the cookies and the popup's message.
 */
export async function signInWithOidc({ backendUrl, appUrl, idp, accountId }) {
  idp.login.accountId = accountId;
  const jar = new CookieJar();
  let response = await get(
    jar,
    `${backendUrl}/api/auth/oidc/start?env=production&origin=${encodeURIComponent(
      appUrl,
    )}`,
  );
  assert.equal(response.status, 302);
  let url = response.headers.get('location');
  assert.ok(url.startsWith(`${idp.issuer}/auth?`), url);
  // Provider redirects (login, consent, resume) until it sends the code back.
  for (let hops = 0; !url.startsWith(backendUrl); hops++) {
    assert.ok(hops < 10, 'too many redirects at the provider');
    response = await get(jar, url);
    assert.ok(
      [302, 303].includes(response.status),
      `${url}: ${response.status} ${await response.text()}`,
    );
    url = new URL(response.headers.get('location'), url).toString();
  }
  assert.equal(new URL(url).pathname, '/api/auth/oidc/handler/frame');
  response = await get(jar, url);
  assert.equal(response.status, 200);
  return { jar, message: popupMessage(await response.text()) };
}
