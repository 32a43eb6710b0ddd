// The two commands of the quick start: `npm start` and `npm test`.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT,
  YARN_RELEASE,
  ensureInstall,
  ensureNode,
  log,
  toolchainEnv,
  yarn,
} from './toolchain.mjs';
import { ensureChromium, ensurePostgres } from './test-services.mjs';

function prepare(extraEnv = {}) {
  const toolchain = ensureNode();
  const env = toolchainEnv(toolchain, extraEnv);
  ensureInstall(toolchain, env);
  return { toolchain, env };
}

const QSTASH_VARIABLES = [
  'QSTASH_URL',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
];

/**
 * Starts packages/qstash-local with its state in .data/, and resolves with
 * the QStash variables it prints once it listens.
 */
function startLocalQStash(toolchain, env) {
  const child = spawn(
    toolchain.nodeBin,
    [
      join(ROOT, 'packages', 'qstash-local', 'bin', 'qstash-local'),
      '--port',
      process.env.QSTASH_LOCAL_PORT ?? '8080',
      '--data',
      join(ROOT, '.data', 'qstash-local.sqlite'),
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const found = {};
    let buffer = '';
    child.once('exit', code =>
      reject(new Error(`The local QStash server exited with ${code}`)),
    );
    child.stdout.on('data', chunk => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
      for (const match of buffer.matchAll(/^(QSTASH_[A-Z_]+)=(\S+)\s*$/gm)) {
        found[match[1]] = match[2];
      }
      if (QSTASH_VARIABLES.every(name => found[name])) {
        resolve({ child, variables: found });
      }
    });
  });
}

async function start() {
  mkdirSync(join(ROOT, '.data', 'sqlite'), { recursive: true });
  const { toolchain, env } = prepare();
  const external = process.env.QSTASH_URL && process.env.QSTASH_TOKEN;
  let qstash;
  if (external) {
    log(`Using the QStash at ${process.env.QSTASH_URL}`);
  } else {
    qstash = await startLocalQStash(toolchain, env);
    log(
      `Local QStash server at ${qstash.variables.QSTASH_URL} (state in .data/)`,
    );
  }
  const stop = () => qstash?.child.kill('SIGTERM');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  log(
    'Starting the portal: frontend http://localhost:3000, backend http://localhost:7007',
  );
  const dev = spawn(toolchain.nodeBin, [YARN_RELEASE, 'dev'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...env, ...(qstash?.variables ?? {}) },
  });
  process.exitCode = await new Promise(resolve =>
    dev.on('exit', code => resolve(code ?? 1)),
  );
  stop();
}

async function test() {
  const { toolchain, env } = prepare();
  const steps = [];
  const step = (name, fn) => steps.push({ name, fn });
  const results = [];

  step('single copies of core packages', () =>
    yarn(toolchain, ['check:duplicates'], env),
  );
  step('lint', () => yarn(toolchain, ['lint'], env));
  step('type check', () => yarn(toolchain, ['tsc'], env));

  const postgres = await ensurePostgres();
  const testEnv = {
    ...env,
    BACKSTAGE_TEST_DISABLE_DOCKER: '1',
    BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING: postgres.url,
  };
  step('jest (SQLite and PostgreSQL)', () =>
    yarn(toolchain, ['test:jest', '--watchAll=false'], testEnv),
  );
  step('end-to-end (headless Chromium)', () => {
    const chromium = ensureChromium();
    return yarn(toolchain, ['test:e2e'], {
      ...testEnv,
      ...(chromium ? { CHROMIUM_PATH: chromium } : {}),
    });
  });

  try {
    for (const { name, fn } of steps) {
      log(`── ${name}`);
      const started = Date.now();
      const status = fn();
      results.push({ name, status, seconds: (Date.now() - started) / 1000 });
      if (status !== 0) break;
    }
  } finally {
    await postgres.stop();
  }

  log('Summary:');
  for (const r of results) {
    log(
      `  ${r.status === 0 ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(
        0,
      )} s)`,
    );
  }
  const failed = results.some(r => r.status !== 0);
  process.exitCode = failed || results.length !== steps.length ? 1 : 0;
}

async function exec(args) {
  const { env } = prepare();
  const postgres = await ensurePostgres();
  try {
    const child = spawn(args[0], args.slice(1), {
      stdio: 'inherit',
      cwd: process.cwd(),
      env: {
        ...env,
        BACKSTAGE_TEST_DISABLE_DOCKER: '1',
        BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING: postgres.url,
      },
    });
    process.exitCode = await new Promise(resolve =>
      child.on('exit', code => resolve(code ?? 1)),
    );
  } finally {
    await postgres.stop();
  }
}

const [command, ...rest] = process.argv.slice(2);
const commands = {
  start,
  test,
  exec: () => exec(rest[0] === '--' ? rest.slice(1) : rest),
};
if (!commands[command]) {
  console.error('usage: node scripts/portal.mjs start|test|exec -- <command>');
  process.exit(2);
}
await commands[command]();
