// Production sign-in end to end, without a browser: a real OpenID Connect
// provider (the oidc-provider package) on a free port, the real backend with
// app-config.production.yaml's auth settings, and the authorization-code flow
// done with plain HTTP requests, as the sign-in popup would do them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLocalQStash } from '../scripts/local-qstash.mjs';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  Provider,
  USERS,
  freePort,
  get,
  signInWithOidc,
  startIssuer,
} from './oidc.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

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

    const signIn = accountId =>
      signInWithOidc({ backendUrl, appUrl, idp, accountId });

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
