#!/usr/bin/env node
/* eslint-disable no-console */
// Benchmark of the run history API on PostgreSQL: p50 and p99 latency of
//   GET /runs        filtered (workflow + state, 50 a page) and ~500 pages deep
//   GET /runs/:runId random runs, with their 10 steps
//   GET /workflows   every workflow with its 7-day figures
// with autocannon (20 connections, fixed duration, after a warm-up), served
// over HTTP by the real plugin in a real backend (createBackend, static
// external-access token) in a child process. The same queries are then run
// again after dropping the plugin's indexes (those of the run history
// migration), the baseline of the ratio. Goal: p99 under 100 ms with them.
//
// Data: 10 workflows, 100,000 runs over 90 days, 1,000,000 steps (10 a run)
// and 2 journal events for about a tenth of the runs, generated inside
// PostgreSQL (INSERT ... SELECT over generate_series, seeded, so the same on
// every run).
//
// Usage: node bin/bench-runs [--duration 10] [--warmup 2] [--connections 20] [--explain]
//   --explain prints EXPLAIN ANALYZE of the store's SQL for each query (it is
//   printed anyway for a query that misses the goal).
// Database: WORKFLOWS_BENCH_DATABASE_URL, else the test PostgreSQL URL in
// BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING, else
// postgresql://postgres@127.0.0.1:5432/postgres. A database named
// workflows_bench_<pid> is created for the run and dropped after.

require('@backstage/cli/config/nodeTransform.cjs');

const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const net = require('node:net');
const os = require('node:os');
const { parseArgs } = require('node:util');

const SERVE_FLAG = '--serve-backend';
const LISTENING = 'bench-runs-listening';
const MIGRATIONS_TABLE = 'workflows_knex_migrations';
const P99_GOAL_MS = 100;
const PAGE_SIZE = 50;
const DEEP_PAGE = 500;
const RUNS = 100_000;
const STEPS_PER_RUN = 10;
const HISTORY_DAYS = 90;
const SAMPLED_RUN_IDS = 5_000;
const SQL_REPEATS = 5;

/** The plugin's indexes: the named ones of migrations/20261201000000_run_history.js. */
const PLUGIN_INDEXES = [
  'workflow_runs_started_idx',
  'workflow_runs_workflow_started_idx',
  'workflow_runs_status_started_idx',
  'workflow_runs_label_idx',
  'workflow_runs_workflow_finished_idx',
  'workflow_run_steps_name_idx',
  'workflow_step_events_name_idx',
];
const TABLES = [
  'workflows',
  'workflow_runs',
  'workflow_run_steps',
  'workflow_step_events',
];

/**
 * Share of the runs per workflow: one busy workflow (the trigger fires every
 * hour) and a tail, so that one workflow has far more than 500 pages.
 */
const WORKFLOWS = [
  ['workflows-trigger', 'Workflows trigger', 0.4],
  ['cars-update', 'Car registrations update', 0.15],
  ['coe-results', 'COE results update', 0.1],
  ['social-posts', 'Social posting', 0.08],
  ['pqp-update', 'PQP update', 0.07],
  ['vehicle-population', 'Vehicle population update', 0.06],
  ['fuel-prices', 'Fuel prices update', 0.05],
  ['parking-rates', 'Parking rates update', 0.04],
  ['traffic-incidents', 'Traffic incidents archive', 0.03],
  ['weekly-report', 'Weekly report', 0.02],
].map(([id, title, share]) => ({ id, title, share }));
const BUSY_WORKFLOW = WORKFLOWS[0].id;

const STEP_NAMES = [
  'download',
  'unzip',
  'parse',
  'validate',
  'diff',
  'write',
  'publish-discord',
  'publish-telegram',
  'summarize',
  'notify',
];

const ERRORS = [
  'HTTP 503 from datamall.lta.gov.sg while downloading the dataset ZIP',
  'Missing column "number" in M03-Car_Regn_by_make.csv line 1',
  'Discord answered 429 Too Many Requests (retry after 2 s)',
  'Step timed out after 900 s',
  'duplicate key value violates unique constraint "cars_pkey"',
];

function readOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '20' },
      explain: { type: 'boolean', default: false },
    },
  });
  const numbers = {
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
  };
  for (const [name, value] of Object.entries(numbers)) {
    if (!Number.isInteger(value) || value < (name === 'warmup' ? 0 : 1)) {
      throw new Error(
        `--${name} must be a ${
          name === 'warmup' ? 'non-negative' : 'positive'
        } integer, got "${values[name]}"`,
      );
    }
  }
  return { ...numbers, explain: values.explain };
}

const serverUrl =
  process.env.WORKFLOWS_BENCH_DATABASE_URL ||
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING ||
  'postgresql://postgres@127.0.0.1:5432/postgres';

/* ------------------------------------------------------------------------ */
/* Child process: the backend with the workflows plugin                     */
/* ------------------------------------------------------------------------ */

/**
 * Started by the parent through IPC; answers { type: LISTENING, port } once
 * it listens (the TypeScript loader sends its own `watch` messages too).
 */
async function serveBackend() {
  const { createBackend } = require('@backstage/backend-defaults');
  const {
    coreServices,
    createServiceFactory,
  } = require('@backstage/backend-plugin-api');
  const { ConfigReader } = require('@backstage/config');

  const config = await new Promise(resolve =>
    process.once('message', message => resolve(message.config)),
  );
  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => new ConfigReader(config, 'bench-runs'),
    }),
  );
  backend.add(require('../src'));
  await backend.start();
  process.on('message', async message => {
    if (message.stop) {
      await backend.stop();
      process.exit(0);
    }
  });
  process.send({ type: LISTENING, port: config.backend.listen.port });
}

/* ------------------------------------------------------------------------ */
/* Parent process: database, seed, load, report                             */
/* ------------------------------------------------------------------------ */

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function trackedWorkflows() {
  return WORKFLOWS.map(w => ({
    id: w.id,
    title: w.title,
    owner: 'group:default/data-platform',
    url: `https://jobs.example.com/workflows/${w.id}`,
    schedule: { cron: '0 * * * *', timezone: 'UTC' },
  }));
}

/** The workflows rows as the plugin writes them from `workflows.tracked`. */
async function seedWorkflows(knex) {
  const now = new Date();
  await knex('workflows').insert(
    trackedWorkflows().map(w => ({
      id: w.id,
      title: w.title,
      description: '',
      owner: w.owner,
      source: 'config',
      endpoint: w.url,
      schedule_cron: w.schedule.cron,
      schedule_timezone: w.schedule.timezone,
      required_env: '[]',
      created_at: now,
      updated_at: now,
    })),
  );
}

/** SQL text array literal of a JS string list, for ARRAY[...] indexing. */
const sqlTextArray = (knex, values) =>
  knex.raw(`ARRAY[${values.map(() => '?').join(', ')}]::text[]`, values);

/**
 * Runs, steps and journal events generated by PostgreSQL; setseed makes
 * random() repeat, and the transaction keeps every statement on one session.
 */
async function seedHistory(knex) {
  const seconds = {};
  const timed = async (name, statement) => {
    const started = performance.now();
    await statement;
    seconds[name] = (performance.now() - started) / 1000;
  };
  // Cumulative shares: run i belongs to the first workflow whose bound exceeds its draw.
  let bound = 0;
  const bounds = WORKFLOWS.map(w => {
    bound += w.share;
    return {
      id: w.id,
      upper: w === WORKFLOWS[WORKFLOWS.length - 1] ? 2 : bound,
    };
  });
  await knex.transaction(async tx => {
    await tx.raw('SELECT setseed(0.2026)');
    await tx.raw('DROP TABLE IF EXISTS bench_shares');
    await tx.raw(
      'CREATE TEMPORARY TABLE bench_shares (workflow_id text, upper float8) ON COMMIT DROP',
    );
    await tx('bench_shares').insert(
      bounds.map(b => ({ workflow_id: b.id, upper: b.upper })),
    );
    await timed(
      'runs',
      tx.raw(
        `
      INSERT INTO workflow_runs (
        run_id, workflow_id, status, started_at, finished_at, failed_step,
        error, label, dlq_id, duration_ms, step_count, updated_at,
        qstash_fingerprint
      )
      WITH draws AS (
        SELECT i,
          random() AS share_draw, random() AS age_draw, random() AS status_draw,
          random() AS duration_draw, random() AS label_draw, random() AS misc_draw
        FROM generate_series(1, :runs) AS i
      ), timed AS (
        SELECT d.*,
          date_trunc('milliseconds', now() - d.age_draw * interval '1 day' * :days) AS started,
          -- exponential, mean 60 s, at least 2 s, at most 15 min
          least(900000, 2000 + floor(-ln(1 - d.duration_draw) * 60000))::bigint AS duration
        FROM draws d
      ), classified AS (
        SELECT t.*,
          CASE
            WHEN t.started > now() - interval '1 hour' THEN 'running'
            WHEN t.status_draw < 0.86 THEN 'succeeded'
            WHEN t.status_draw < 0.97 THEN 'failed'
            ELSE 'cancelled'
          END AS status,
          1 + (t.i % :steps) AS stop_position
        FROM timed t
      )
      SELECT
        'wfr_' || md5(c.i::text),
        (SELECT s.workflow_id FROM bench_shares s WHERE c.share_draw < s.upper ORDER BY s.upper LIMIT 1),
        c.status,
        c.started,
        CASE WHEN c.status = 'running' THEN NULL ELSE c.started + c.duration * interval '1 millisecond' END,
        CASE WHEN c.status = 'failed' THEN (:stepNames)[c.stop_position] END,
        CASE WHEN c.status = 'failed' THEN (:errors)[1 + (c.i % :errorCount)] END,
        CASE
          WHEN c.label_draw < 0.2 THEN 'backfill-' || (c.i % 12)
          WHEN c.label_draw < 0.3 THEN 'manual'
        END,
        CASE WHEN c.status = 'failed' AND c.misc_draw < 0.3 THEN 'dlq_' || md5('dlq' || c.i) END,
        CASE WHEN c.status = 'running' THEN NULL ELSE c.duration END,
        CASE WHEN c.status = 'running' THEN c.stop_position - 1 ELSE :steps END,
        CASE WHEN c.status = 'running' THEN c.started ELSE c.started + c.duration * interval '1 millisecond' END,
        md5('fingerprint' || c.i)
      FROM classified c
      ORDER BY 1
      `,
        {
          runs: RUNS,
          days: HISTORY_DAYS,
          steps: STEPS_PER_RUN,
          stepNames: sqlTextArray(tx, STEP_NAMES),
          errors: sqlTextArray(tx, ERRORS),
          errorCount: ERRORS.length,
        },
      ),
    );
    // Steps before the stop position succeeded; the stop step failed (failed
    // run), runs (running run) or was cancelled with the ones after it.
    await timed(
      'steps',
      tx.raw(
        `
      INSERT INTO workflow_run_steps (
        run_id, position, group_kind, group_index, name, type, state,
        attempts, started_at, finished_at, duration_ms, output, error
      )
      WITH steps AS (
        SELECT r.run_id, r.status, r.started_at, r.error,
          coalesce(r.duration_ms, 60000) / :steps AS step_ms,
          p AS position,
          array_position(:stepNames, r.failed_step) AS failed_position,
          r.step_count
        FROM workflow_runs r CROSS JOIN generate_series(1, :steps) AS p
      ), stated AS (
        SELECT s.*,
          CASE
            WHEN s.status = 'succeeded' THEN 'succeeded'
            WHEN s.status = 'failed' AND s.position < s.failed_position THEN 'succeeded'
            WHEN s.status = 'failed' AND s.position = s.failed_position THEN 'failed'
            WHEN s.status = 'running' AND s.position <= s.step_count THEN 'succeeded'
            WHEN s.status = 'running' AND s.position = s.step_count + 1 THEN 'running'
            WHEN s.status = 'running' THEN 'pending'
            WHEN s.status = 'cancelled' AND s.position <= 1 + (hashtext(s.run_id) & 7) THEN 'succeeded'
            ELSE 'cancelled'
          END AS state
        FROM steps s
      )
      SELECT
        st.run_id, st.position, 'sequential', st.position - 1,
        (:stepNames)[st.position],
        'Run',
        st.state,
        CASE st.state WHEN 'failed' THEN 3 WHEN 'pending' THEN 0 WHEN 'cancelled' THEN 0 ELSE 1 END,
        CASE WHEN st.state IN ('pending', 'cancelled') THEN NULL
          ELSE st.started_at + (st.position - 1) * st.step_ms * interval '1 millisecond' END,
        CASE WHEN st.state IN ('succeeded', 'failed')
          THEN st.started_at + st.position * st.step_ms * interval '1 millisecond' END,
        CASE WHEN st.state IN ('succeeded', 'failed') THEN st.step_ms END,
        CASE WHEN st.state = 'succeeded'
          THEN '{"rows":' || (hashtext(st.run_id || st.position) & 65535) || ',"checksum":"' || left(md5(st.run_id || st.position), 16) || '"}' END,
        CASE WHEN st.state = 'failed' THEN st.error END
      FROM stated st
      -- In key order: the primary key and name index grow at their ends
      -- instead of taking random page writes beyond shared_buffers.
      ORDER BY st.run_id, st.position
      `,
        { steps: STEPS_PER_RUN, stepNames: sqlTextArray(tx, STEP_NAMES) },
      ),
    );
    // The runner journal: two attempts of the first steps for a tenth of the runs.
    await timed(
      'events',
      tx.raw(
        `
      INSERT INTO workflow_step_events (
        run_id, workflow_id, step_name, status, attempt, started_at,
        finished_at, duration_ms, output_summary, error_message
      )
      SELECT st.run_id, r.workflow_id, st.name, 'succeeded', 0, st.started_at,
        st.finished_at, st.duration_ms, st.output, NULL
      FROM workflow_runs r
      JOIN workflow_run_steps st ON st.run_id = r.run_id AND st.position IN (1, 2)
      WHERE st.state = 'succeeded' AND random() < 0.1
      ORDER BY r.run_id, st.position
      `,
      ),
    );
  });
  await timed('analyze', knex.raw('ANALYZE'));
  return seconds;
}

async function dataSizes(knex) {
  const rows = [];
  for (const table of TABLES) {
    const [{ n }] = await knex(table).count({ n: '*' });
    const {
      rows: [size],
    } = await knex.raw(
      'SELECT pg_relation_size(?) AS heap, pg_indexes_size(?) AS indexes',
      [table, table],
    );
    rows.push({
      table,
      rows: Number(n),
      heap: Number(size.heap),
      indexes: Number(size.indexes),
    });
  }
  return rows;
}

async function listIndexes(knex) {
  const { rows } = await knex.raw(
    `SELECT tablename, indexname FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = ANY(?)
     ORDER BY tablename, indexname`,
    [TABLES],
  );
  return rows;
}

/** The cursor the API hands out after a row: RunStore's encodeCursor. */
function cursorAfter(row) {
  return Buffer.from(
    JSON.stringify([new Date(row.started_at).getTime(), row.run_id]),
  ).toString('base64url');
}

async function cursorAfterPage(knex, workflowId, page) {
  const row = await knex('workflow_runs')
    .where({ workflow_id: workflowId })
    .orderBy([
      { column: 'started_at', order: 'desc' },
      { column: 'run_id', order: 'desc' },
    ])
    .offset(page * PAGE_SIZE - 1)
    .first('started_at', 'run_id');
  if (!row) {
    throw new Error(
      `workflow ${workflowId} has fewer than ${page} pages of ${PAGE_SIZE} runs`,
    );
  }
  return cursorAfter(row);
}

function startBackend(config) {
  const child = fork(__filename, [SERVE_FLAG], {
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise((resolve, reject) => {
    child.on('message', message => {
      if (message?.type === LISTENING) resolve(message.port);
    });
    child.once('exit', code =>
      reject(
        new Error(`the backend exited with code ${code} before it listened`),
      ),
    );
  });
  child.send({ config });
  return {
    ready,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.send({ stop: true });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function getJson(baseUrl, token, path) {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`GET ${path} answered ${response.status}: ${text}`);
  }
  return JSON.parse(text);
}

/** One sample of each query through the API, checked against the common schemas. */
async function checkResponses(api, queries, knex) {
  const {
    listRunsResponseSchema,
    getRunResponseSchema,
    listWorkflowsResponseSchema,
  } = require('@internal/plugin-workflows-common');
  const failed = listRunsResponseSchema.parse(
    await api(queries.failed.samplePath),
  );
  if (
    failed.items.length !== PAGE_SIZE ||
    failed.items.some(
      r => r.status !== 'failed' || r.workflowId !== BUSY_WORKFLOW,
    )
  ) {
    throw new Error(
      `${queries.failed.samplePath}: expected ${PAGE_SIZE} failed runs of ${BUSY_WORKFLOW}`,
    );
  }
  // The page before the deep one must hand out the very cursor built from the row.
  const before = listRunsResponseSchema.parse(
    await api(
      `/api/workflows/runs?workflow=${BUSY_WORKFLOW}&limit=${PAGE_SIZE}&cursor=${await cursorAfterPage(
        knex,
        BUSY_WORKFLOW,
        DEEP_PAGE - 1,
      )}`,
    ),
  );
  if (before.nextCursor !== queries.deep.cursor) {
    throw new Error(
      `page ${DEEP_PAGE} of ${BUSY_WORKFLOW}: the API's nextCursor ${before.nextCursor} differs from the one built from the row, ${queries.deep.cursor}`,
    );
  }
  const deep = listRunsResponseSchema.parse(await api(queries.deep.samplePath));
  if (deep.items.length !== PAGE_SIZE) {
    throw new Error(`${queries.deep.samplePath}: ${deep.items.length} runs`);
  }
  const run = getRunResponseSchema.parse(await api(queries.run.samplePath));
  if (run.steps.length !== STEPS_PER_RUN) {
    throw new Error(
      `${queries.run.samplePath}: ${run.steps.length} steps, expected ${STEPS_PER_RUN}`,
    );
  }
  const workflows = listWorkflowsResponseSchema.parse(
    await api(queries.workflows.samplePath),
  );
  const busy = workflows.items.find(w => w.id === BUSY_WORKFLOW);
  if (workflows.items.length !== WORKFLOWS.length || !busy?.stats?.runs7d) {
    throw new Error(
      `${queries.workflows.samplePath}: expected ${WORKFLOWS.length} workflows with 7-day figures`,
    );
  }
  return { busyRuns7d: busy.stats.runs7d };
}

/** autocannon at a fixed duration; throws on any error or non-2xx answer. */
async function load(baseUrl, token, query, options) {
  const autocannon = require('autocannon');
  const run = duration =>
    autocannon({
      url: baseUrl,
      connections: options.connections,
      duration,
      headers: { authorization: `Bearer ${token}` },
      requests: [query.request],
    });
  if (options.warmup > 0) await run(options.warmup);
  const result = await run(options.duration);
  if (result.requests.total === 0) {
    throw new Error(
      `${query.name}: no request finished within ${options.duration} s`,
    );
  }
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(
      `${query.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers in ${result.requests.total} requests`,
    );
  }
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    perSecond: result.requests.average,
    total: result.requests.total,
  };
}

/** Every SELECT the store sends for `call`, with its bindings. */
async function captureStatements(knex, call) {
  const statements = [];
  const capture = query => {
    if (/^\s*select/i.test(query.sql)) {
      statements.push({ sql: query.sql, bindings: query.bindings ?? [] });
    }
  };
  knex.on('query', capture);
  try {
    await call();
  } finally {
    knex.off('query', capture);
  }
  return statements;
}

/** EXPLAIN on a pooled pg connection: the SQL carries pg's $n placeholders. */
async function explain(knex, options, statement) {
  const connection = await knex.client.acquireConnection();
  try {
    const { rows } = await connection.query(
      `EXPLAIN (${options}) ${statement.sql}`,
      statement.bindings,
    );
    return rows;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

async function planText(knex, statements) {
  const plans = [];
  for (const statement of statements) {
    const rows = await explain(knex, 'ANALYZE, BUFFERS', statement);
    plans.push(
      [
        `    SQL: ${statement.sql}`,
        ...rows.map(r => `      ${r['QUERY PLAN']}`),
      ].join('\n'),
    );
  }
  return plans.join('\n');
}

/**
 * PostgreSQL's own time (planning + execution, EXPLAIN ANALYZE) for all the
 * statements of one request, one after the other: the median of
 * SQL_REPEATS rounds, without HTTP, Node or the pool.
 */
async function sqlMilliseconds(knex, statements) {
  const rounds = [];
  for (let round = 0; round < SQL_REPEATS; round++) {
    let total = 0;
    for (const statement of statements) {
      const [
        {
          'QUERY PLAN': [plan],
        },
      ] = await explain(knex, 'ANALYZE, FORMAT JSON', statement);
      total += plan['Planning Time'] + plan['Execution Time'];
    }
    rounds.push(total);
  }
  return median(rounds);
}

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

function buildQueries(deepCursor, runIds) {
  const failedPath = `/api/workflows/runs?workflow=${BUSY_WORKFLOW}&state=failed&limit=${PAGE_SIZE}`;
  const deepPath = `/api/workflows/runs?workflow=${BUSY_WORKFLOW}&limit=${PAGE_SIZE}&cursor=${deepCursor}`;
  const randomRunPath = () =>
    `/api/workflows/runs/${runIds[Math.floor(Math.random() * runIds.length)]}`;
  const allIds = WORKFLOWS.map(w => w.id);
  return {
    failed: {
      name: 'GET /runs workflow+failed, 50',
      samplePath: failedPath,
      request: { method: 'GET', path: failedPath },
      storeCall: store =>
        store.listRuns({
          workflow: BUSY_WORKFLOW,
          state: 'failed',
          limit: PAGE_SIZE,
          workflowIds: allIds,
        }),
    },
    deep: {
      name: `GET /runs workflow, page ${DEEP_PAGE + 1}`,
      cursor: deepCursor,
      samplePath: deepPath,
      request: { method: 'GET', path: deepPath },
      storeCall: store =>
        store.listRuns({
          workflow: BUSY_WORKFLOW,
          limit: PAGE_SIZE,
          cursor: deepCursor,
          workflowIds: allIds,
        }),
    },
    run: {
      name: 'GET /runs/:runId (random)',
      samplePath: randomRunPath(),
      // A fresh random run for every request.
      request: {
        method: 'GET',
        setupRequest: request => ({ ...request, path: randomRunPath() }),
      },
      storeCall: async store => {
        const runId = runIds[0];
        await store.getRun(runId);
        await store.getSteps(runId);
      },
    },
    workflows: {
      name: 'GET /workflows',
      samplePath: '/api/workflows/workflows',
      request: { method: 'GET', path: '/api/workflows/workflows' },
      // The 7-day figures of every workflow, as the route reads them.
      storeCall: async store => {
        const since = new Date(Date.now() - 7 * 24 * 3600_000);
        for (const id of allIds) await store.figures(id, since);
      },
    },
  };
}

/** Columns: [title, width]; the first is left-aligned, the rest right-aligned. */
function printTable(columns, rows) {
  const cells = row =>
    row
      .map((cell, i) =>
        i === 0
          ? String(cell).padEnd(columns[i][1])
          : String(cell).padStart(columns[i][1]),
      )
      .join(' ');
  console.log(`  ${cells(columns.map(([title]) => title))}`);
  for (const row of rows) console.log(`  ${cells(row)}`);
}

const fmt = n => Math.round(n).toLocaleString('en-US');
const mib = bytes => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const ms = value => `${value.toFixed(value >= 100 ? 0 : 1)} ms`;

async function main() {
  const options = readOptions();
  const knexFactory = require('knex');
  const { KnexRunStore } = require('../src/database/RunStore');
  const { MIGRATIONS_DIRECTORY } = require('../src/database/migrations');

  const name = 'benchkeep';
  const admin = knexFactory({ client: 'pg', connection: serverUrl });
  const keep = (await admin.raw('select 1 from pg_database where datname = ?', [name])).rows.length > 0; if (!keep) await admin.raw('CREATE DATABASE ??', [name]);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 2 },
  });
  let backend;
  try {
    console.log(
      `PostgreSQL at ${url.host}, database ${name}; autocannon ${
        options.connections
      } connections, ${options.warmup} s warm-up + ${
        options.duration
      } s per figure; node ${process.version}, ${
        os.cpus().length
      } CPUs, load average ${os.loadavg()[0].toFixed(1)}.`,
    );
    const seedStarted = performance.now(); let phases = {};
    if (!keep) { await knex.migrate.latest({
      directory: MIGRATIONS_DIRECTORY,
      tableName: MIGRATIONS_TABLE,
    });

    await seedWorkflows(knex);
    phases = await seedHistory(knex); }
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const sizes = await dataSizes(knex);
    console.log(
      `\nData (seeded in ${seedSeconds.toFixed(1)} s: ${Object.entries(phases)
        .map(([phase, s]) => `${phase} ${s.toFixed(1)} s`)
        .join(', ')}):`,
    );
    for (const size of sizes) {
      console.log(
        `  ${size.table.padEnd(22)} ${fmt(size.rows).padStart(
          10,
        )} rows  table ${mib(size.heap).padStart(10)}  indexes ${mib(
          size.indexes,
        ).padStart(10)}`,
      );
    }
    const [{ n: busyRuns }] = await knex('workflow_runs')
      .where({ workflow_id: BUSY_WORKFLOW })
      .count({ n: '*' });
    const [{ n: busyFailed }] = await knex('workflow_runs')
      .where({ workflow_id: BUSY_WORKFLOW, status: 'failed' })
      .count({ n: '*' });
    console.log(
      `  ${BUSY_WORKFLOW}: ${fmt(Number(busyRuns))} runs (${fmt(
        Number(busyRuns) / PAGE_SIZE,
      )} pages of ${PAGE_SIZE}), ${fmt(Number(busyFailed))} failed`,
    );

    const deepCursor = await cursorAfterPage(knex, BUSY_WORKFLOW, DEEP_PAGE);
    const runIds = (
      await knex.raw(
        'SELECT run_id FROM workflow_runs ORDER BY random() LIMIT ?',
        [SAMPLED_RUN_IDS],
      )
    ).rows.map(r => r.run_id);
    const queries = buildQueries(deepCursor, runIds);

    const port = await freePort();
    const token = randomBytes(24).toString('base64url');
    const baseUrl = `http://127.0.0.1:${port}`;
    backend = startBackend({
      backend: {
        baseUrl,
        listen: { host: '127.0.0.1', port },
        database: {
          client: 'pg',
          connection: serverUrl,
          ensureExists: false,
          plugin: { workflows: { connection: { database: name } } },
        },
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'bench-runs' } },
          ],
        },
      },
      workflows: {
        runnerBaseUrl: `${baseUrl}/api/workflows`,
        tracked: trackedWorkflows(),
        // The seeded history spans 90 days: the hourly pruning must leave it alone.
        history: { retentionDays: 3650 },
      },
    });
    await backend.ready;
    const api = path => getJson(baseUrl, token, path);
    const checked = await checkResponses(api, queries, knex);
    console.log(
      `  API checked: pages of ${PAGE_SIZE}, page ${
        DEEP_PAGE + 1
      } cursor as the API hands it out, runs with ${STEPS_PER_RUN} steps, ${
        WORKFLOWS.length
      } workflows (${BUSY_WORKFLOW}: ${fmt(
        checked.busyRuns7d,
      )} finished runs in 7 days)`,
    );

    const store = new KnexRunStore(knex);
    const statements = {};
    for (const [key, query] of Object.entries(queries)) {
      statements[key] = await captureStatements(knex, () =>
        query.storeCall(store),
      );
    }
    const loadAverages = [];
    const measureAll = async phase => {
      const figures = {};
      for (const [key, query] of Object.entries(queries)) {
        process.stdout.write(`  ${phase}: ${query.name} ...`);
        const http = await load(baseUrl, token, query, options);
        loadAverages.push(os.loadavg()[0]);
        figures[key] = {
          ...http,
          sqlMs: await sqlMilliseconds(knex, statements[key]),
        };
        process.stdout.write(
          ` p50 ${ms(http.p50)}, p99 ${ms(http.p99)}, ${fmt(
            http.total,
          )} requests; SQL ${ms(figures[key].sqlMs)}\n`,
        );
      }
      return figures;
    };
    const explainAll = async (phase, keys) => {
      for (const key of keys) {
        console.log(`\n  EXPLAIN ${queries[key].name} (${phase}):`);
        console.log(await planText(knex, statements[key]));
      }
    };

    console.log('\nLoad:');
    const indexed = await measureAll('with indexes');
    const slowIndexed = Object.keys(queries).filter(
      key => options.explain || indexed[key].p99 >= P99_GOAL_MS,
    );
    if (slowIndexed.length) await explainAll('with indexes', slowIndexed);

    for (const index of PLUGIN_INDEXES) {
      await knex.raw('DROP INDEX IF EXISTS ??', [index]);
    }
    await knex.raw('ANALYZE');
    const remaining = await listIndexes(knex);
    console.log(
      `\n  dropped ${PLUGIN_INDEXES.join(', ')}; left: ${remaining
        .map(r => r.indexname)
        .join(', ')}`,
    );
    const bare = await measureAll('without them');
    if (options.explain) await explainAll('without them', Object.keys(queries));

    console.log(
      `\nHTTP, autocannon ${options.connections} connections (${fmt(
        RUNS,
      )} runs, ${fmt(
        RUNS * STEPS_PER_RUN,
      )} steps; ratio = p99 without / p99 with; goal p99 < ${P99_GOAL_MS} ms with the indexes):`,
    );
    printTable(
      [
        ['query', 32],
        ['p50 idx', 9],
        ['p99 idx', 9],
        ['req/s', 7],
        ['p50 none', 10],
        ['p99 none', 10],
        ['req/s', 7],
        ['ratio', 7],
        ['goal', 6],
      ],
      Object.entries(queries).map(([key, query]) => {
        const a = indexed[key];
        const b = bare[key];
        return [
          query.name,
          ms(a.p50),
          ms(a.p99),
          fmt(a.perSecond),
          ms(b.p50),
          ms(b.p99),
          fmt(b.perSecond),
          `${(b.p99 / a.p99).toFixed(1)}x`,
          a.p99 < P99_GOAL_MS ? 'PASS' : 'FAIL',
        ];
      }),
    );
    console.log(
      `\nPostgreSQL time of the store's SQL per request (planning + execution, EXPLAIN ANALYZE, statements one after the other, median of ${SQL_REPEATS}):`,
    );
    printTable(
      [
        ['query', 32],
        ['with idx', 10],
        ['without', 10],
        ['ratio', 8],
      ],
      Object.entries(queries).map(([key, query]) => [
        query.name,
        ms(indexed[key].sqlMs),
        ms(bare[key].sqlMs),
        `${(bare[key].sqlMs / indexed[key].sqlMs).toFixed(1)}x`,
      ]),
    );
    console.log(
      `\n1-minute load average after each figure: ${loadAverages
        .map(n => n.toFixed(1))
        .join(', ')} (${
        os.cpus().length
      } CPUs); HTTP figures include queueing for the CPU.`,
    );
  } finally {
    await backend?.stop();
    await knex.destroy();

    await admin.destroy();
  }
}

if (process.argv.includes(SERVE_FLAG)) {
  serveBackend().catch(error => {
    console.error(`bench-runs backend: ${error.stack ?? error}`);
    process.exit(1);
  });
} else {
  main().catch(error => {
    console.error(`bench-runs: ${error.stack ?? error}`);
    process.exitCode = 1;
  });
}
