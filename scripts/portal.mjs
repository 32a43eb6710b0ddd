// The two commands of the quick start: `npm start` and `npm test`.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT,
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

function start() {
  mkdirSync(join(ROOT, '.data', 'sqlite'), { recursive: true });
  const { toolchain, env } = prepare();
  log('Starting the portal: frontend http://localhost:3000, backend http://localhost:7007');
  process.exitCode = yarn(toolchain, ['dev'], env);
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
    log(`  ${r.status === 0 ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(0)} s)`);
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
