// The two commands of the quick start: `npm start` and `npm test`.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  ROOT,
  YARN_RELEASE,
  ensureInstall,
  ensureNode,
  log,
  run,
  toolchainEnv,
  yarn,
} from './toolchain.mjs';
import { startLocalQStash } from './local-qstash.mjs';
import { spawnGroup, stopAll, stopGroupsOnSignals } from './processTree.mjs';
import { ensureChromium, ensurePostgres } from './test-services.mjs';

function prepare(extraEnv = {}) {
  const toolchain = ensureNode();
  const env = toolchainEnv(toolchain, extraEnv);
  ensureInstall(toolchain, env);
  return { toolchain, env };
}

async function start() {
  mkdirSync(join(ROOT, '.data', 'sqlite'), { recursive: true });
  const { toolchain, env } = prepare();
  stopGroupsOnSignals();
  const external = process.env.QSTASH_URL && process.env.QSTASH_TOKEN;
  let qstash;
  if (external) {
    log(`Using the QStash at ${process.env.QSTASH_URL}`);
  } else {
    qstash = await startLocalQStash({
      nodeBin: toolchain.nodeBin,
      env,
      port: process.env.QSTASH_LOCAL_PORT ?? '8080',
      dataFile: join(ROOT, '.data', 'qstash-local.sqlite'),
      spawnChild: spawnGroup,
    });
    log(
      `Local QStash server at ${qstash.variables.QSTASH_URL} (state in .data/)`,
    );
  }
  log(
    'Starting the portal: frontend http://localhost:3000, backend http://localhost:7007',
  );
  const dev = spawnGroup(toolchain.nodeBin, [YARN_RELEASE, 'dev'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...env, ...(qstash?.variables ?? {}) },
  });
  process.exitCode = await new Promise(resolve =>
    dev.on('exit', code => resolve(code ?? 1)),
  );
  await stopAll();
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
    yarn(
      toolchain,
      [
        'test:jest',
        '--watchAll=false',
        '--json',
        `--outputFile=${JEST_RESULTS}`,
      ],
      testEnv,
    ),
  );
  step('end-to-end (headless Chromium)', () => {
    const chromium = ensureChromium();
    return run(
      toolchain.nodeBin,
      [
        '--test',
        // The browser tests share the portal's fixed ports: one file at a time.
        '--test-concurrency=1',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${E2E_RESULTS}`,
        ...e2eTestFiles(),
      ],
      { env: { ...testEnv, ...(chromium ? { CHROMIUM_PATH: chromium } : {}) } },
    );
  });

  try {
    // Counts from an earlier run must not be added to this one's.
    rmSync(RESULTS_DIR, { recursive: true, force: true });
    mkdirSync(RESULTS_DIR, { recursive: true });
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
  const counts = countTests();
  if (counts) {
    // One plain closing line over every test runner.
    console.log(
      `Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    );
  }
}

const RESULTS_DIR = join(ROOT, '.data', 'test-results');
const JEST_RESULTS = join(RESULTS_DIR, 'jest.json');
const E2E_RESULTS = join(RESULTS_DIR, 'e2e.tap');

function e2eTestFiles() {
  return readdirSync(join(ROOT, 'e2e'))
    .filter(name => name.endsWith('.e2e.test.mjs'))
    .map(name => join(ROOT, 'e2e', name));
}

/** Adds up jest's and the browser tests' results of this run, if both wrote them. */
function countTests() {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(JEST_RESULTS)) {
    const jest = JSON.parse(readFileSync(JEST_RESULTS, 'utf8'));
    counts.passed += jest.numPassedTests;
    counts.failed += jest.numFailedTests;
    counts.skipped += jest.numPendingTests + jest.numTodoTests;
  }
  if (existsSync(E2E_RESULTS)) {
    const tap = readFileSync(E2E_RESULTS, 'utf8');
    const read = key =>
      Number(tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
    counts.passed += read('pass');
    counts.failed += read('fail') + read('cancelled');
    counts.skipped += read('skipped') + read('todo');
  }
  return counts.passed + counts.failed + counts.skipped > 0
    ? counts
    : undefined;
}

async function exec(args) {
  const { env } = prepare();
  const postgres = await ensurePostgres();
  stopGroupsOnSignals(async () => postgres.stop());
  try {
    const child = spawnGroup(args[0], args.slice(1), {
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
    // What the command left running in its group goes with it.
    await stopAll();
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
