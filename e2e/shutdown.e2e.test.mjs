// SIGTERM, as a supervisor or container runtime sends it to the one process
// it started, stops everything the quick start's commands started: no
// process of the tree and no listening port is left behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isPortOpen } from '../scripts/test-services.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PORTAL = join(ROOT, 'scripts', 'portal.mjs');

/** A port nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/** Starts a command, keeping its output for the failure message. */
function launch(command, args, env = {}) {
  const output = [];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, FORCE_COLOR: '0', BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = chunk => {
    output.push(chunk.toString());
    if (output.length > 300) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise(resolve =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output, exited };
}

// A command that starts a child of its own, both listening: what
// `portal.mjs exec -- yarn dev` or a test server amounts to.
const TREE = `
  const { spawn } = require('node:child_process');
  const net = require('node:net');
  const [parentPort, childPort] = process.argv.slice(1).map(Number);
  const child = spawn(process.execPath, ['-e',
    'require("node:net").createServer().listen(' + childPort + ', "127.0.0.1", () => console.log("child " + process.pid))'],
    { stdio: 'inherit' });
  net.createServer().listen(parentPort, '127.0.0.1', () => console.log('parent ' + process.pid));
`;

describe('stopping the quick start commands', () => {
  it('portal.mjs exec: SIGTERM stops the command and what it started', async () => {
    const [parentPort, childPort] = [await freePort(), await freePort()];
    const run = launch(process.execPath, [
      PORTAL,
      'exec',
      '--',
      process.execPath,
      '-e',
      TREE,
      String(parentPort),
      String(childPort),
    ]);
    const pids = () =>
      [...run.output.join('').matchAll(/^(parent|child) (\d+)$/gm)].map(m =>
        Number(m[2]),
      );
    try {
      await until(
        'both processes listening',
        async () =>
          pids().length === 2 &&
          (await isPortOpen(parentPort)) &&
          (await isPortOpen(childPort)),
        120_000,
      );
    } catch (error) {
      run.child.kill('SIGKILL');
      throw new Error(`${error.message}\n${run.output.join('')}`);
    }
    const started = pids();

    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    assert.equal(code, 0, run.output.join(''));
    for (const pid of started) {
      assert.equal(alive(pid), false, `process ${pid} is still running`);
    }
    assert.equal(await isPortOpen(parentPort), false);
    assert.equal(await isPortOpen(childPort), false);
  });

  it('npm start: SIGTERM stops the frontend, the backend and the local QStash server', async t => {
    const qstashPort = await freePort();
    for (const port of [3000, 7007]) {
      if (await isPortOpen(port)) {
        t.skip(`port ${port} is in use: stop the running portal first`);
        return;
      }
    }
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = launch(npm, ['start'], {
      QSTASH_LOCAL_PORT: String(qstashPort),
    });
    const answers = async url => {
      try {
        return (await fetch(url)).ok;
      } catch {
        return false;
      }
    };
    try {
      await until(
        'the portal answering on 3000 and 7007',
        async () =>
          (await answers('http://localhost:7007/api/workflows/health')) &&
          (await answers('http://localhost:3000')),
        300_000,
      );
      assert.equal(await isPortOpen(qstashPort), true);
    } catch (error) {
      run.child.kill('SIGTERM');
      await run.exited;
      throw new Error(`${error.message}\n${run.output.join('')}`);
    }

    run.child.kill('SIGTERM');
    const { code, signal } = await run.exited;
    const output = run.output.join('').slice(-4000);
    // npm answers a signal by passing it on and exiting as its script did.
    assert.ok(
      code === 0 || signal === 'SIGTERM',
      `npm ended with ${code ?? signal}\n${output}`,
    );
    for (const port of [3000, 7007, qstashPort]) {
      await until(
        `port ${port} closed`,
        async () => !(await isPortOpen(port)),
        10_000,
      ).catch(() => assert.fail(`port ${port} is still open\n${output}`));
    }
  });
});
