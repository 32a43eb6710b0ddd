// Starts the real portal (frontend dev server and backend) for browser tests.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPortOpen } from '../scripts/test-services.mjs';

export { findChromium } from '../scripts/test-services.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

export const FRONTEND_URL = 'http://localhost:3000';
export const BACKEND_URL = 'http://localhost:7007';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function waitFor(url, deadline, isAlive) {
  for (;;) {
    if (!isAlive()) throw new Error(`The portal exited before ${url} answered`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer in time`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

/**
 * Runs `yarn dev` with the given extra config files and resolves once both
 * ports answer. The returned stop() ends the whole process group.
 */
export async function startPortal({
  configs = [],
  env = {},
  timeoutMs = 300_000,
} = {}) {
  for (const port of [3000, 7007]) {
    if (await isPortOpen(port)) {
      throw new Error(
        `Port ${port} is already in use; stop the running portal before the browser tests`,
      );
    }
  }
  const args = ['dev', '--config', join(ROOT, 'app-config.yaml')];
  for (const config of configs) args.push('--config', config);
  const output = [];
  const child = spawn('yarn', args, {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ...env, BROWSER: 'none', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let alive = true;
  child.on('exit', () => {
    alive = false;
  });
  const keep = chunk => {
    output.push(chunk.toString());
    if (output.length > 400) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const stop = async () => {
    if (!alive) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (alive) process.kill(-child.pid, 'SIGKILL');
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  try {
    await waitFor(`${BACKEND_URL}/api/workflows/health`, deadline, () => alive);
    await waitFor(FRONTEND_URL, deadline, () => alive);
  } catch (error) {
    await stop();
    throw new Error(
      `${error.message}\n--- portal output ---\n${output.join('')}`,
    );
  }
  return { stop, output };
}
