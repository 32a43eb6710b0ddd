// The portal in a real browser: guest sign-in, the Workflows page, a failed
// run found on the Failures page and resumed there, triggering and following
// a run live, cancelling a sleeping run, a long run history.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { startLocalQStash } from '../scripts/local-qstash.mjs';
import {
  BACKEND_URL,
  CHROMIUM_FLAGS,
  FRONTEND_URL,
  findChromium,
  startPortal,
} from './portal.mjs';
import { startSleepingWorkflow } from './sleepingWorkflow.mjs';
import { startSocialTarget } from './socialTarget.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ARTIFACTS = join(HERE, 'artifacts');
// `npm run screenshots` sets this to refresh the README's pictures.
const README_SCREENSHOTS = process.env.E2E_README_SCREENSHOTS
  ? join(HERE, '..', 'docs', 'screenshots')
  : undefined;
const SLEEPER_PORT = 7117;
const SOCIAL_TARGET_PORT = 7118;
const executablePath = findChromium();

if (!executablePath && process.env.CI) {
  throw new Error('Chromium is required in CI: apt-get install -y chromium');
}

/** Saves a screenshot to the artifacts (and, when asked, for the README). */
async function shoot(page, name, { readme = false } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({
    path: join(ARTIFACTS, `${name}.png`),
    fullPage: true,
  });
  if (readme && README_SCREENSHOTS) {
    mkdirSync(README_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(README_SCREENSHOTS, `${name}.png`) });
  }
}

async function signIn(page, path = '/') {
  await page.goto(`${FRONTEND_URL}${path}`);
  await page.getByRole('button', { name: 'Enter' }).click();
}

describe(
  'Workflows portal in Chromium',
  {
    skip: executablePath
      ? false
      : 'Chromium not found: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)',
  },
  () => {
    let portal;
    let browser;
    let qstash;
    let sleeper;
    let social;
    let dataDir;

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'portal-e2e-'));
      // Retries in seconds, not minutes: a failing step reaches the DLQ quickly.
      qstash = await startLocalQStash({
        port: '0',
        echo: false,
        retryTimeScale: 0.002,
      });
      social = await startSocialTarget({ port: SOCIAL_TARGET_PORT });
      sleeper = await startSleepingWorkflow({
        port: SLEEPER_PORT,
        qstash: qstash.variables,
        sleepSeconds: 60,
      });
      portal = await startPortal({
        configs: [join(HERE, 'app-config.e2e.yaml')],
        env: {
          ...qstash.variables,
          E2E_DATA_DIR: dataDir,
          // Social posts and failure alerts both go to the local stand-in.
          DISCORD_WEBHOOK_URL: social.webhookUrl,
        },
      });
      browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    });

    after(async () => {
      await browser?.close();
      await portal?.stop();
      await sleeper?.close();
      await social?.close();
      qstash?.child.kill('SIGTERM');
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('opens Workflows after sign-in and lists what the backend returns', async () => {
      const fromBackend = await fetch(`${BACKEND_URL}/api/workflows/health`);
      assert.equal(fromBackend.status, 200);

      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      await signIn(page);
      // "/" after sign-in is the Workflows page, not a 404.
      await page.waitForURL(/\/workflows$/);

      const row = page.getByTestId('workflow-e2e-coe-results');
      await row.waitFor({ timeout: 60_000 });
      const text = await row.innerText();
      assert.match(text, /COE results \(tracked by the e2e test\)/);
      assert.match(text, /https:\/\/jobs\.example\.com\/workflows\/coe/);
      assert.match(text, /group:default\/platform/);
      assert.match(text, /Monday through Friday/);
      for (const id of ['trigger', 'cars', 'coe', 'e2e-sleeper']) {
        await page.getByTestId(`workflow-${id}`).waitFor();
      }
      assert.match(
        await page.getByTestId('workflow-cars').innerText(),
        /Car registrations update[\s\S]*Hosted[\s\S]*\/api\/workflows\/runners\/cars/,
      );
      assert.ok(
        await page.getByText('5 workflows', { exact: true }).isVisible(),
      );
      await shoot(page, 'workflows-page', { readme: true });
    });

    it('finds a failed cars run on the Failures page, resumes it after the fix, and posts once', async () => {
      // Discord is down: the cars run ingests, then fails to post.
      social.state.broken = true;
      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      await signIn(page, '/workflows/cars');
      await page.getByRole('button', { name: 'Trigger' }).click();
      await page
        .getByRole('dialog', { name: 'Trigger Car registrations update' })
        .getByRole('button', { name: 'Trigger run' })
        .click();
      await page.waitForURL(/\/workflows\/cars\/runs\/wfr_[^/]+$/, {
        timeout: 60_000,
      });
      const runId = decodeURIComponent(page.url().split('/').pop());

      // QStash gives up, the failure function alerts, linking to the group.
      const deadline = Date.now() + 120_000;
      let alert;
      while (!alert) {
        alert = social.state.alerts.find(a =>
          a.fields.some(f => f.name === 'Run' && f.value.includes(runId)),
        );
        if (Date.now() > deadline) throw new Error('no failure alert arrived');
        if (!alert) await new Promise(r => setTimeout(r, 500));
      }
      assert.ok(social.state.refused >= 1, 'the post was refused');
      assert.equal(social.state.posts.length, 0);
      const sameFailure = alert.fields.find(f => f.name === 'Same failure');
      const groupUrl = /\((http[^)]+)\)/.exec(sameFailure.value)[1];
      assert.match(
        groupUrl,
        /^http:\/\/localhost:3000\/failures\?group=[0-9a-f]{16}$/,
      );

      // The group shows once the sync has mirrored the run and its DLQ entry.
      const group = page.getByRole('region', {
        name: 'Car registrations update: Publish to Discord',
      });
      const entry = page.getByRole('checkbox', { name: `Select ${runId}` });
      for (let attempt = 0; ; attempt++) {
        await page.goto(groupUrl);
        try {
          await entry.waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt >= 20) throw error;
        }
      }
      const groupText = await group.innerText();
      assert.match(groupText, /Discord/);
      assert.match(groupText, /500/);
      await shoot(page, 'failures-page', { readme: true });
      // The same page narrower and in the dark theme (Backstage keeps the
      // theme choice in local storage).
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.evaluate(() => localStorage.setItem('theme', 'dark'));
      await page.reload();
      await entry.waitFor();
      await shoot(page, 'failures-page-dark-1024');
      await page.evaluate(() => localStorage.removeItem('theme'));
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.reload();
      await entry.waitFor();

      // Discord is back: resume the run from the failed step.
      social.state.broken = false;
      await entry.check();
      await page
        .getByRole('region', { name: 'Dead letter actions' })
        .getByRole('button', { name: 'Resume' })
        .click();
      const confirm = page.getByRole('dialog', { name: /^Resume 1 entry/ });
      assert.match(
        await confirm.innerText(),
        /re-runs only the steps after the last successful one/,
      );
      // Past the dialog's fade-in.
      await page.waitForTimeout(400);
      await shoot(page, 'resume-dialog', { readme: true });
      await confirm.getByRole('button', { name: /^Resume 1 entry$/ }).click();
      const results = page.getByRole('status', { name: 'Results of Resume' });
      await results.getByText('Done').waitFor({ timeout: 30_000 });
      const newRunLink = results.getByRole('link', { name: /^New run wfr_/ });
      const newRunId = /wfr_\S+/.exec(await newRunLink.innerText())[0];
      assert.notEqual(newRunId, runId);
      await shoot(page, 'resume-results');

      await newRunLink.click();
      await page
        .getByRole('region', { name: 'Run summary' })
        .getByText('Succeeded')
        .waitFor({ timeout: 90_000 });
      // Posted exactly once: the refused attempts posted nothing, and the
      // resumed run did not post again for the steps that had succeeded.
      assert.equal(social.state.posts.length, 1);
      assert.match(social.state.posts[0], /car registration/i);
    });

    it('triggers the cars workflow from the UI and follows its run live until it succeeds', async () => {
      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      await signIn(page, '/workflows/cars');
      await page.getByRole('button', { name: 'Trigger' }).click();
      const dialog = page.getByRole('dialog', {
        name: 'Trigger Car registrations update',
      });
      await dialog
        .getByRole('textbox', { name: 'Label' })
        .fill('from-the-e2e-test');
      await dialog.getByRole('button', { name: 'Trigger run' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
      await page.waitForURL(/\/workflows\/cars\/runs\/wfr_[^/]+$/, {
        timeout: 60_000,
      });
      const runId = decodeURIComponent(page.url().split('/').pop());

      // No reload from here on: the page follows the run's stream.
      const summary = page.getByRole('region', { name: 'Run summary' });
      await summary.getByText('Succeeded').waitFor({ timeout: 90_000 });
      const steps = page.getByRole('list', { name: 'Steps' });
      await steps
        .getByRole('listitem', { name: 'Step Processing "cars" data' })
        .waitFor();
      const timeline = await steps.innerText();
      assert.match(timeline, /Processing "cars" data/);
      assert.match(await summary.innerText(), /from-the-e2e-test/);

      await shoot(page, 'run-page', { readme: true });
    });

    it('cancels a sleeping run from the UI, behind a confirmation', async () => {
      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      await signIn(page, '/workflows/e2e-sleeper');
      await page.getByRole('button', { name: 'Trigger' }).click();
      await page
        .getByRole('dialog', { name: /^Trigger Sleeping workflow/ })
        .getByRole('button', { name: 'Trigger run' })
        .click();
      await page.waitForURL(/\/workflows\/e2e-sleeper\/runs\/wfr_[^/]+$/, {
        timeout: 60_000,
      });
      const runId = decodeURIComponent(page.url().split('/').pop());

      // The sync brings QStash's view of the run: its first step, then the sleep.
      await page
        .getByRole('listitem', { name: 'Step Prepare' })
        .waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Cancel run' }).click();
      const confirm = page.getByRole('dialog', { name: 'Cancel this run?' });
      assert.match(await confirm.innerText(), /QStash/);
      await shoot(page, 'cancel-dialog', { readme: true });
      await confirm.getByRole('button', { name: 'Yes, cancel run' }).click();
      await page.getByText(/^Run cancelled/).waitFor();
      await page
        .getByRole('region', { name: 'Run summary' })
        .getByText('Cancelled')
        .waitFor();

      const { QSTASH_URL, QSTASH_TOKEN } = qstash.variables;
      const logs = await fetch(
        `${QSTASH_URL}/v2/workflows/logs?workflowRunId=${runId}`,
        { headers: { authorization: `Bearer ${QSTASH_TOKEN}` } },
      ).then(r => r.json());
      assert.equal(logs.runs[0].workflowState, 'RUN_CANCELED');
    });

    it('shows the first runs of a workflow with 10,000 runs within a second', async () => {
      const database = new Database(join(dataDir, 'workflows.sqlite'));
      database.pragma('busy_timeout = 10000');
      const insert = database.prepare(
        `INSERT INTO workflow_runs (run_id, workflow_id, status, started_at, finished_at,
           failed_step, error, label, duration_ms, step_count, updated_at)
         VALUES (?, 'e2e-coe-results', ?, ?, ?, ?, ?, NULL, ?, 3, ?)`,
      );
      const now = Date.now();
      database.transaction(() => {
        for (let i = 0; i < 10_000; i++) {
          const startedAt = now - (i + 1) * 60_000;
          const failed = i % 7 === 0;
          insert.run(
            `wfr_seeded_${String(i).padStart(5, '0')}`,
            failed ? 'failed' : 'succeeded',
            startedAt,
            startedAt + 4_000,
            failed ? 'Publish to Telegram' : null,
            failed ? 'Telegram refused to post the message: HTTP 429' : null,
            4_000,
            startedAt + 4_000,
          );
        }
      })();
      database.close();

      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      await signIn(page);
      await page
        .getByTestId('workflow-e2e-coe-results')
        .waitFor({ timeout: 60_000 });
      const link = page.getByRole('link', {
        name: 'COE results (tracked by the e2e test)',
        exact: true,
      });
      const firstRow = page
        .getByRole('table', { name: 'Runs' })
        .locator('[data-testid^="run-wfr_seeded_"]')
        .first();
      // Three navigations from the list; the median is the figure.
      const timings = [];
      for (let i = 0; i < 3; i++) {
        if (i > 0) {
          await page.goBack();
          await link.waitFor();
        }
        const started = Date.now();
        await link.click();
        await firstRow.waitFor();
        timings.push(Date.now() - started);
      }
      const median = [...timings].sort((a, b) => a - b)[1];
      console.log(
        `First runs of a workflow with 10,000 runs shown after the click: ${timings.join(
          ', ',
        )} ms, median ${median} ms (goal: under 1000 ms)`,
      );
      assert.ok(median < 1000, `first rows took ${median} ms (median)`);
      await shoot(page, 'workflow-page', { readme: true });
    });

    it('selects all of a group in the DLQ, past the 100 listed, behind a confirmation naming the count', async () => {
      // Dead letter entries of a workflow hosted elsewhere, as the DLQ sync
      // stores them: more than the group's failures list shows.
      const database = new Database(join(dataDir, 'workflows.sqlite'));
      database.pragma('busy_timeout = 10000');
      const insert = database.prepare(
        `INSERT INTO workflow_dlq_entries (dlq_id, source, workflow_id, created_at_ms,
           response_status, failed_step, error, failure_group, run_known, state, last_listed_ms)
         VALUES (?, 'workflow', 'e2e-coe-results', ?, 502, 'Publish to Telegram', ?,
           'e2eseededgroup01', 0, 'in-dlq', ?)`,
      );
      const now = Date.now();
      database.transaction(() => {
        for (let i = 0; i < 150; i++) {
          insert.run(
            `dlq_seeded_${String(i).padStart(3, '0')}`,
            now - (i + 1) * 60_000,
            'Telegram answered HTTP 502: Bad Gateway',
            now,
          );
        }
      })();
      database.close();

      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      const chooseWholeGroup = async () => {
        const table = page.getByRole('table', {
          name: 'Failures of this group',
        });
        await table.waitFor({ timeout: 60_000 });
        await table
          .getByRole('checkbox', { name: 'Select all entries in the DLQ' })
          .check();
        await page
          .getByText('this group has 150 in the DLQ in this window', {
            exact: false,
          })
          .waitFor();
        await page.getByRole('button', { name: 'Select all 150' }).click();
        await page.getByText('150 entries selected').waitFor();
      };
      await signIn(page, '/failures?window=24h&group=e2eseededgroup01');
      await chooseWholeGroup();
      await shoot(page, 'failures-whole-group');
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = page.getByRole('dialog', {
        name: 'Delete all 150 entries of this group in the DLQ?',
      });
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /100 at a time, oldest first/);
      await shoot(page, 'failures-whole-group-dialog');
      await dialog.getByRole('button', { name: 'Keep them' }).click();

      await page.evaluate(() => localStorage.setItem('theme', 'dark'));
      await page.reload();
      await chooseWholeGroup();
      await shoot(page, 'failures-whole-group-dark');
      await page.evaluate(() => localStorage.removeItem('theme'));
    });

    it('edits the trigger schedule with a live preview and saves it to QStash', async () => {
      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      await signIn(page, '/schedules');
      await page
        .getByRole('button', { name: 'Edit workflows-trigger' })
        .click({ timeout: 60_000 });
      const editor = page.getByRole('dialog', {
        name: 'Edit schedule workflows-trigger',
      });
      const fireTimes = editor.getByRole('list', { name: 'Next 5 fire times' });
      await fireTimes.waitFor();
      const before = await fireTimes.innerText();

      await editor.getByRole('textbox', { name: 'Cron' }).fill('15 3 * * *');
      // The preview follows the typing: new fire times at 03:15.
      const deadline = Date.now() + 15_000;
      let after = before;
      while (after === before || !/3:15/.test(after)) {
        if (Date.now() > deadline) {
          throw new Error(`fire times did not change: ${after}`);
        }
        await page.waitForTimeout(200);
        after = await fireTimes.innerText();
      }
      assert.equal((await fireTimes.getByRole('listitem').all()).length, 5);
      await shoot(page, 'schedule-editor', { readme: true });

      await editor.getByRole('button', { name: 'Review changes' }).click();
      const review = editor.getByRole('region', { name: 'Review' });
      assert.match(await review.innerText(), /15 3 \* \* \*/);
      await editor.getByRole('button', { name: 'Save schedule' }).click();
      await editor.waitFor({ state: 'hidden', timeout: 30_000 });

      const { QSTASH_URL, QSTASH_TOKEN } = qstash.variables;
      const stored = await fetch(
        `${QSTASH_URL}/v2/schedules/workflows-trigger`,
        {
          headers: { authorization: `Bearer ${QSTASH_TOKEN}` },
        },
      ).then(r => r.json());
      assert.equal(stored.cron, '15 3 * * *');
      await page
        .getByRole('list', { name: 'Next fire times of workflows-trigger' })
        .getByText(/3:15/)
        .first()
        .waitFor();
      await shoot(page, 'schedules-page', { readme: true });
    });

    it('finds the cars workflow in the software catalog, with its Workflow tab', async () => {
      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      await signIn(page, '/catalog/default/component/workflow-cars');
      // The entity provider publishes the workflows shortly after start-up.
      const tab = page
        .getByRole('navigation', { name: 'Content navigation' })
        .getByRole('link', { name: 'Workflow', exact: true });
      for (let attempt = 0; ; attempt++) {
        try {
          await tab.waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt >= 20) throw error;
          await page.reload();
        }
      }
      await tab.click();
      await page.waitForURL(
        /\/catalog\/default\/component\/workflow-cars\/workflow$/,
      );
      await page
        .getByRole('table', { name: 'Runs' })
        .getByText('Succeeded')
        .first()
        .waitFor({ timeout: 30_000 });
      assert.match(
        await page
          .getByRole('region', { name: 'Workflow overview' })
          .innerText(),
        /api\/workflows\/runners\/cars/,
      );
      await shoot(page, 'catalog-workflow-tab', { readme: true });
    });

    it('shows the health of every workflow without revealing a secret', async () => {
      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      await signIn(page, '/health');
      await page
        .getByRole('link', { name: 'Car registrations update' })
        .first()
        .waitFor({ timeout: 60_000 });
      const text = await page.locator('main').innerText();
      assert.match(text, /DISCORD_WEBHOOK_URL/);
      // Names and verdicts only: neither the webhook token nor the QStash token.
      assert.ok(!text.includes('e2e-webhook-token'), 'the webhook token shows');
      assert.ok(
        !text.includes(qstash.variables.QSTASH_TOKEN),
        'the token shows',
      );
      await shoot(page, 'health-page', { readme: true });
    });
  },
);
