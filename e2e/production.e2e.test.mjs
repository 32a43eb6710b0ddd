// The production path end to end: the backend bundle built as the image
// builds it, installed with production dependencies only, started twice with
// app-config.production.yaml against this machine's PostgreSQL and Redis,
// behind one URL; sign-in through a local OpenID Connect provider.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { startLocalQStash } from '../scripts/local-qstash.mjs';
import { isPortOpen } from '../scripts/test-services.mjs';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  Provider,
  USERS,
  freePort,
  signInWithOidc,
  startIssuer,
} from './oidc.mjs';
import { CHROMIUM_FLAGS, findChromium } from './portal.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
const SYNC_SECONDS = 3;
const executablePath = findChromium();
// The PostgreSQL `npm test` prepared (this machine's, or an embedded one).
const POSTGRES = new URL(
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432/postgres',
);
const REDIS_PORT = 6379;
const redisRuns = await isPortOpen(REDIS_PORT);

if (process.env.CI && !executablePath) {
  throw new Error('Chromium is required in CI: apt-get install -y chromium');
}
if (process.env.CI && !redisRuns) {
  throw new Error(`Redis is required in CI on 127.0.0.1:${REDIS_PORT}`);
}

/** Runs a command to its end; its output is in the error when it fails. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
    });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve(output)
        : reject(
            new Error(
              `${command} ${args.join(
                ' ',
              )} exited with ${code}:\n${output.slice(-4000)}`,
            ),
          ),
    );
  });
}

/** One backend replica started from the bundle, in its own process group. */
function startReplica(runtime, name, configFile, env) {
  const output = [];
  const child = spawn(
    process.execPath,
    [
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
      '--config',
      configFile,
    ],
    {
      cwd: runtime,
      detached: true,
      env: { ...process.env, ...env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = chunk => {
    output.push(chunk.toString());
    if (output.length > 400) output.shift();
  };
  // The start time of every run-sync pass this replica logged (JSON lines).
  const syncPasses = [];
  let partial = '';
  child.stdout.on('data', chunk => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      if (!line.includes('Run sync pass started')) continue;
      try {
        syncPasses.push(Date.parse(JSON.parse(line).timestamp));
      } catch {
        // Not a log line of ours.
      }
    }
  });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { name, child, output, syncPasses };
}

async function waitForReady(url, replica, deadline) {
  for (;;) {
    if (replica.child.exitCode !== null) {
      throw new Error(
        `${replica.name} exited with ${
          replica.child.exitCode
        }:\n${replica.output.join('')}`,
      );
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${replica.name} not ready in time:\n${replica.output.join('')}`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

async function stopReplica(replica) {
  if (!replica || replica.child.exitCode !== null)
    return replica?.child.exitCode;
  const exited = new Promise(resolve =>
    replica.child.once('exit', code => resolve(code)),
  );
  process.kill(-replica.child.pid, 'SIGTERM');
  const timer = setTimeout(
    () => process.kill(-replica.child.pid, 'SIGKILL'),
    30_000,
  );
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** One URL in front of the replicas, taking turns, as a load balancer would. */
function startBalancer(port, targets) {
  let next = 0;
  const server = createServer((req, res) => {
    const target = targets[next++ % targets.length];
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: target,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      answer => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', error => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(upstream);
  });
  return new Promise(resolve =>
    server.listen(port, '127.0.0.1', () => resolve(server)),
  );
}

/**
 * The image's stages outside a container: type declarations and the backend
 * bundle (which carries the built frontend), then the skeleton's manifests
 * with production dependencies only, then the bundle itself.
 */
async function buildRuntime(runtime) {
  mkdirSync(runtime, { recursive: true });

  await run('yarn', ['tsc'], { cwd: ROOT });
  await run('yarn', ['workspace', 'backend', 'build'], { cwd: ROOT });
  const dist = join(ROOT, 'packages', 'backend', 'dist');

  for (const file of ['package.json', 'yarn.lock', '.yarnrc.yml']) {
    cpSync(join(ROOT, file), join(runtime, file));
  }
  cpSync(join(ROOT, '.yarn', 'releases'), join(runtime, '.yarn', 'releases'), {
    recursive: true,
  });
  await run('tar', ['xzf', join(dist, 'skeleton.tar.gz'), '-C', runtime]);
  await run('yarn', ['workspaces', 'focus', '--all', '--production'], {
    cwd: runtime,
  });
  await run('tar', ['xzf', join(dist, 'bundle.tar.gz'), '-C', runtime]);
  for (const file of ['app-config.yaml', 'app-config.production.yaml']) {
    cpSync(join(ROOT, file), join(runtime, file));
  }
}

function skipReason() {
  if (!Provider) {
    return 'oidc-provider is not installed: run yarn install (it is a root devDependency)';
  }
  if (!executablePath) {
    return 'Chromium not found: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)';
  }
  if (!redisRuns) {
    return `no Redis on 127.0.0.1:${REDIS_PORT}: the production config keeps its cache there`;
  }
  return false;
}

describe(
  'the production bundle: two replicas behind one URL',
  { skip: skipReason() },
  () => {
    const prefix = `e2e_prod_${randomBytes(4).toString('hex')}_`;
    let work;
    let runtime;
    let qstash;
    let idp;
    let balancer;
    let catalogServer;
    let appUrl;
    const replicas = [];
    const ports = [];

    before(async () => {
      work = mkdtempSync(join(tmpdir(), 'portal-production-e2e-'));
      // PRODUCTION_E2E_RUNTIME reuses a runtime folder an earlier run built
      // (kept when set), to iterate on the test without a new build.
      runtime = process.env.PRODUCTION_E2E_RUNTIME ?? join(work, 'app');
      if (!existsSync(join(runtime, 'packages', 'backend', 'dist'))) {
        await buildRuntime(runtime);
      }

      qstash = await startLocalQStash({ port: '0', echo: false });
      const [idpPort, balancerPort, catalogPort, portA, portB] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      ports.push(portA, portB);
      appUrl = `http://localhost:${balancerPort}`;
      idp = await startIssuer(idpPort, `${appUrl}/api/auth/oidc/handler/frame`);
      // Production takes only url locations: the test's users come over HTTP.
      catalogServer = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/yaml' }).end(USERS);
      });
      await new Promise(r => catalogServer.listen(catalogPort, '127.0.0.1', r));

      const env = {
        ...qstash.variables,
        NODE_ENV: 'production',
        APP_BASE_URL: appUrl,
        BACKEND_BASE_URL: appUrl,
        UPSTASH_WORKFLOW_URL: appUrl,
        POSTGRES_HOST: POSTGRES.hostname,
        POSTGRES_PORT: POSTGRES.port || '5432',
        POSTGRES_USER: decodeURIComponent(POSTGRES.username) || 'postgres',
        POSTGRES_PASSWORD: decodeURIComponent(POSTGRES.password) || 'postgres',
        REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`,
        AUTH_SESSION_SECRET: 'e2e-session-secret',
        AUTH_OIDC_METADATA_URL: `${idp.issuer}/.well-known/openid-configuration`,
        AUTH_OIDC_CLIENT_ID: CLIENT_ID,
        AUTH_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        AUTH_OIDC_TITLE: 'E2E IdP',
        WORKFLOWS_OPERATORS_GROUP: 'group:default/platform',
      };
      for (const [index, port] of ports.entries()) {
        const configFile = join(work, `replica-${index + 1}.yaml`);
        // Only what differs on this machine: ports, a database prefix of the
        // test's own, where the users come from and a short sync interval.
        writeFileSync(
          configFile,
          JSON.stringify({
            app: { signIn: { providers: ['oidc'] } },
            backend: {
              listen: { port },
              database: { prefix },
              // The sync passes' debug lines, for the one-replica check.
              logger: {
                overrides: [
                  {
                    matchers: {
                      plugin: 'workflows',
                      message: '/^Run sync pass/',
                    },
                    level: 'debug',
                  },
                ],
              },
              reading: { allow: [{ host: `127.0.0.1:${catalogPort}` }] },
            },
            catalog: {
              locations: [
                {
                  type: 'url',
                  target: `http://127.0.0.1:${catalogPort}/users.yaml`,
                },
              ],
            },
            workflows: { history: { syncIntervalSeconds: SYNC_SECONDS } },
          }),
        );
        // One after the other: replicas that create a fresh database at the
        // same moment race on the plugins' first migrations.
        const replica = startReplica(
          runtime,
          `replica ${index + 1}`,
          configFile,
          env,
        );
        replicas.push(replica);
        await waitForReady(
          `http://127.0.0.1:${port}/.backstage/health/v1/readiness`,
          replica,
          Date.now() + 180_000,
        );
      }
      balancer = await startBalancer(balancerPort, ports);
    });

    after(async () => {
      for (const replica of replicas) await stopReplica(replica);
      qstash?.child.kill('SIGTERM');
      for (const server of [balancer, catalogServer, idp?.server]) {
        if (server) await new Promise(resolve => server.close(resolve));
      }
      const client = new pg.Client({
        connectionString: POSTGRES.toString(),
      });
      await client.connect();
      const { rows } = await client.query(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${prefix}%`],
      );
      for (const { datname } of rows) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      await client.end();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    /** A signed-in operator's Backstage token, through the shared URL. */
    async function operatorToken() {
      // The catalog reads the users shortly after startup.
      for (const deadline = Date.now() + 60_000; ; ) {
        const { message } = await signInWithOidc({
          backendUrl: appUrl,
          appUrl,
          idp,
          accountId: 'jane',
        });
        if (message.response) return message.response.backstageIdentity.token;
        assert.ok(Date.now() < deadline, JSON.stringify(message.error));
        await new Promise(r => setTimeout(r, 2000));
      }
    }

    it('installs without better-sqlite3 and serves the built frontend from the backend', async () => {
      assert.equal(
        existsSync(join(runtime, 'node_modules', 'better-sqlite3')),
        false,
      );
      for (let i = 0; i < 2; i++) {
        const page = await fetch(`${appUrl}/workflows`);
        assert.equal(page.status, 200);
        assert.match(await page.text(), /<div id="root">/);
      }
      for (const port of ports) {
        const ready = await fetch(
          `http://127.0.0.1:${port}/.backstage/health/v1/readiness`,
        );
        assert.equal(ready.status, 200);
      }
    });

    it("creates each runner's QStash schedule once across the replicas", async () => {
      const response = await fetch(
        `${qstash.variables.QSTASH_URL}/v2/schedules`,
        {
          headers: { authorization: `Bearer ${qstash.variables.QSTASH_TOKEN}` },
        },
      );
      const schedules = await response.json();
      const destinations = schedules.map(s => s.destination);
      assert.ok(destinations.length > 0, 'no schedule was created');
      assert.equal(
        new Set(destinations).size,
        destinations.length,
        `a runner has two schedules: ${destinations.join(', ')}`,
      );
      for (const destination of destinations) {
        assert.ok(
          destination.startsWith(`${appUrl}/api/workflows/runners/`),
          destination,
        );
      }
    });

    it('shows a run triggered through one replica on the other', async () => {
      const token = await operatorToken();
      const [first, second] = ports.map(
        port => `http://127.0.0.1:${port}/api/workflows`,
      );
      const auth = { authorization: `Bearer ${token}` };
      const list = await fetch(`${first}/workflows`, { headers: auth });
      assert.equal(list.status, 200);
      const { items } = await list.json();
      const workflow = items.find(w => w.source === 'runner');
      assert.ok(workflow, 'no runner workflow listed');

      const triggered = await fetch(
        `${first}/workflows/${workflow.id}/trigger`,
        {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: '{}',
        },
      );
      assert.equal(triggered.status, 201, await triggered.clone().text());
      const { runId } = await triggered.json();

      for (const deadline = Date.now() + 30_000; ; ) {
        const seen = await fetch(`${second}/runs/${runId}`, { headers: auth });
        if (seen.status === 200) {
          assert.equal((await seen.json()).run.runId, runId);
          break;
        }
        assert.ok(
          Date.now() < deadline,
          `run ${runId} never showed on replica 2`,
        );
        await new Promise(r => setTimeout(r, 500));
      }
    });

    it('runs each sync interval on one replica only', async () => {
      const from = Date.now();
      await new Promise(r => setTimeout(r, 6 * SYNC_SECONDS * 1000));
      // Every replica logs the start of each pass it runs: merged, the starts
      // are one interval apart when only one replica takes each interval.
      const starts = replicas
        .flatMap(replica =>
          replica.syncPasses.map(at => ({ at, by: replica.name })),
        )
        .filter(pass => pass.at >= from)
        .sort((a, b) => a.at - b.at);
      const listed = starts
        .map(pass => `${new Date(pass.at).toISOString()} ${pass.by}`)
        .join('\n');
      assert.ok(
        starts.length >= 3,
        `only ${starts.length} sync passes:\n${listed}`,
      );
      for (let i = 1; i < starts.length; i++) {
        const gap = starts[i].at - starts[i - 1].at;
        assert.ok(
          gap >= SYNC_SECONDS * 1000 * 0.8,
          `two sync passes ${gap} ms apart (interval ${SYNC_SECONDS} s):\n${listed}`,
        );
      }
    });

    it('signs in through the OIDC provider in Chromium and shows the first Workflows rows in under a second', async () => {
      const browser = await chromium.launch({
        executablePath,
        args: CHROMIUM_FLAGS,
      });
      try {
        const context = await browser.newContext({
          viewport: { width: 1440, height: 900 },
        });
        const page = await context.newPage();
        await page.goto(`${appUrl}/`);
        const popupOpened = context.waitForEvent('page');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await (await popupOpened).waitForEvent('close', { timeout: 60_000 });
        const firstRow = page.locator('[data-testid^="workflow-"]').first();
        await page.getByRole('link', { name: 'Workflows' }).first().waitFor();

        const timings = [];
        for (let i = 0; i < 3; i++) {
          const started = Date.now();
          await page.goto(`${appUrl}/workflows`);
          await firstRow.waitFor();
          timings.push(Date.now() - started);
        }
        const median = [...timings].sort((a, b) => a - b)[1];
        console.log(
          `Production bundle, Workflows page loaded to its first rows: ${timings.join(
            ', ',
          )} ms, median ${median} ms (goal: under 1000 ms)`,
        );
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({
          path: join(ARTIFACTS, 'production-workflows.png'),
          fullPage: true,
        });
        assert.ok(median < 1000, `first rows took ${median} ms (median)`);
      } finally {
        await browser.close();
      }
    });

    it('stops each replica on SIGTERM with exit code 0', async () => {
      for (const replica of replicas) {
        assert.equal(await stopReplica(replica), 0, replica.output.join(''));
      }
    });
  },
);
