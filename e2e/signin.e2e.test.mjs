// Production sign-in end to end, without a browser: a real OpenID Connect
// provider (the oidc-provider package) on a free port, the real backend with
// app-config.production.yaml's auth settings, and the authorization-code flow
// done with plain HTTP requests, as the sign-in popup would do them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLocalQStash } from '../scripts/local-qstash.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let Provider;
try {
  ({ default: Provider } = await import('oidc-provider'));
} catch {
  if (process.env.CI) {
    throw new Error('oidc-provider is required in CI: run yarn install');
  }
}

const CLIENT_ID = 'portal';
const CLIENT_SECRET = 'e2e-oidc-client-secret';

const ACCOUNTS = {
  jane: { email: 'jane@example.com', name: 'Jane' },
  bob: { email: 'bob@example.com', name: 'Bob' },
  eve: { email: 'eve@elsewhere.example', name: 'Eve' },
};

// The test's catalog (it replaces the usual locations): Jane is in the
// operator group, Bob is not.
const USERS = `
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
async function freePort() {
  const server = createServer();
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Cookies per host name, sent on every request to that host. */
class CookieJar {
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

async function get(jar, url, headers = {}) {
  const response = await fetch(url, {
    redirect: 'manual',
    headers: { cookie: jar.header(url), ...headers },
  });
  jar.keep(url, response);
  return response;
}

/** The message the sign-in popup posts back to the app. */
function popupMessage(html) {
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
async function startIssuer(port, redirectUri) {
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

async function waitForReady(url, child, output, deadline) {
  for (;;) {
    // The dev server stays up after a failed start: stop waiting at once.
    if (
      child.exitCode !== null ||
      output.join('').includes('Backend startup failed')
    ) {
      throw new Error(`The backend did not start:\n${output.join('')}`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer in time:\n${output.join('')}`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

describe(
  'production sign-in with an OpenID Connect provider',
  {
    skip: Provider
      ? false
      : 'oidc-provider is not installed: run yarn install (it is a root devDependency)',
  },
  () => {
    let backendUrl;
    let appUrl;
    let idp;
    let qstash;
    let backend;
    let dataDir;
    const output = [];

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'portal-signin-e2e-'));
      const [backendPort, appPort, idpPort] = [
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      backendUrl = `http://localhost:${backendPort}`;
      appUrl = `http://localhost:${appPort}`;
      idp = await startIssuer(
        idpPort,
        `${backendUrl}/api/auth/oidc/handler/frame`,
      );
      qstash = await startLocalQStash({ port: '0', echo: false });

      const usersFile = join(dataDir, 'users.yaml');
      writeFileSync(usersFile, USERS);
      // The production file's auth settings; only what the test machine
      // lacks (PostgreSQL, Redis, public URLs) is replaced.
      const overrides = join(dataDir, 'app-config.signin-e2e.yaml');
      writeFileSync(
        overrides,
        JSON.stringify({
          app: { baseUrl: appUrl, signIn: { providers: ['oidc'] } },
          backend: {
            baseUrl: backendUrl,
            listen: { port: backendPort },
            cors: { origin: appUrl },
            database: {
              client: 'better-sqlite3',
              connection: { directory: join(dataDir, 'sqlite') },
            },
            cache: { store: 'memory' },
          },
          catalog: {
            locations: [{ type: 'file', target: usersFile }],
          },
          workflows: {
            scaffolder: { localDirectory: join(dataDir, 'workflows') },
            sgcarstrends: { schedule: { cron: '0 0 29 2 *' } },
          },
        }),
      );

      backend = spawn(
        'yarn',
        [
          'workspace',
          'backend',
          'start',
          '--config',
          join(ROOT, 'app-config.yaml'),
          '--config',
          join(ROOT, 'app-config.production.yaml'),
          '--config',
          overrides,
        ],
        {
          cwd: ROOT,
          detached: true,
          env: {
            ...process.env,
            ...qstash.variables,
            FORCE_COLOR: '0',
            AUTH_OIDC_METADATA_URL: `${idp.issuer}/.well-known/openid-configuration`,
            AUTH_OIDC_CLIENT_ID: CLIENT_ID,
            AUTH_OIDC_CLIENT_SECRET: CLIENT_SECRET,
            AUTH_OIDC_TITLE: 'E2E IdP',
            AUTH_SESSION_SECRET: 'e2e-session-secret',
            WORKFLOWS_OPERATORS_GROUP: 'group:default/platform',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const keep = chunk => {
        output.push(chunk.toString());
        if (output.length > 300) output.shift();
      };
      backend.stdout.on('data', keep);
      backend.stderr.on('data', keep);
      await waitForReady(
        `${backendUrl}/.backstage/health/v1/readiness`,
        backend,
        output,
        Date.now() + 240_000,
      );
    });

    after(async () => {
      if (backend && backend.exitCode === null) {
        const exited = new Promise(resolve => backend.once('exit', resolve));
        process.kill(-backend.pid, 'SIGTERM');
        const timer = setTimeout(
          () => process.kill(-backend.pid, 'SIGKILL'),
          10_000,
        );
        await exited;
        clearTimeout(timer);
      }
      qstash?.child.kill('SIGTERM');
      await new Promise(resolve =>
        idp ? idp.server.close(resolve) : resolve(),
      );
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    /** The popup's round trip: backend start, provider login and consent, callback. */
    async function signIn(accountId) {
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

    async function decide(token, permission) {
      const response = await fetch(`${backendUrl}/api/permission/authorize`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          items: [
            {
              id: 'check',
              resourceRef: 'cars',
              permission: {
                type: 'resource',
                name: permission,
                attributes: {},
                resourceType: 'workflow',
              },
            },
          ],
        }),
      });
      assert.equal(response.status, 200);
      return (await response.json()).items[0].result;
    }

    it('signs an operator in as the catalog user, keeps the session through refresh, and lets them trigger', async () => {
      // The catalog reads the users file shortly after startup.
      let message;
      for (const deadline = Date.now() + 60_000; ; ) {
        ({ message } = await signIn('jane'));
        if (message.response || Date.now() > deadline) break;
        await new Promise(r => setTimeout(r, 2000));
      }
      assert.equal(message.error, undefined, JSON.stringify(message.error));
      assert.deepEqual(message.response.backstageIdentity.identity, {
        type: 'user',
        userEntityRef: 'user:default/jane',
        ownershipEntityRefs: ['user:default/jane', 'group:default/platform'],
      });

      const { jar } = await signIn('jane');
      assert.ok(jar.has(backendUrl, 'oidc-refresh-token'));
      const refresh = await get(
        jar,
        `${backendUrl}/api/auth/oidc/refresh?env=production`,
        { 'x-requested-with': 'XMLHttpRequest' },
      );
      assert.equal(refresh.status, 200);
      const session = await refresh.json();
      assert.equal(
        session.backstageIdentity.identity.userEntityRef,
        'user:default/jane',
      );
      assert.equal(
        await decide(session.backstageIdentity.token, 'workflows.run.trigger'),
        'ALLOW',
      );
    });

    it('denies workflow mutations to a catalog user outside the operator group', async () => {
      const { message } = await signIn('bob');
      const { identity, token } = message.response.backstageIdentity;
      assert.equal(identity.userEntityRef, 'user:default/bob');
      assert.equal(await decide(token, 'workflows.run.trigger'), 'DENY');
      assert.equal(await decide(token, 'workflows.workflow.read'), 'ALLOW');
    });

    it('refuses someone the catalog does not know', async () => {
      const { message, jar } = await signIn('eve');
      assert.equal(message.response, undefined);
      assert.match(message.error.message, /unable to resolve user identity/);
      assert.ok(!jar.has(backendUrl, 'oidc-refresh-token'));
    });

    it('has no guest sign-in', async () => {
      const response = await fetch(
        `${backendUrl}/api/auth/guest/refresh?env=production`,
        { headers: { 'x-requested-with': 'XMLHttpRequest' } },
      );
      assert.equal(response.status, 404);
    });
  },
);
