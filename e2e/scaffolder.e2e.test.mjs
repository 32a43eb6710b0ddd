// The Create page in a real browser: a new workflow from the "new workflow"
// template, published to the local data folder, found in the catalog and on
// the Workflows page with its schedule, and scheduled on the local QStash.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startLocalQStash } from '../scripts/local-qstash.mjs';
import {
  CHROMIUM_FLAGS,
  FRONTEND_URL,
  findChromium,
  startPortal,
} from './portal.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ARTIFACTS = join(HERE, 'artifacts');
const executablePath = findChromium();

if (!executablePath && process.env.CI) {
  throw new Error('Chromium is required in CI: apt-get install -y chromium');
}

// Unique per run, although the data folder is fresh each time too.
const WORKFLOW_ID = `e2e-new-${Date.now().toString(36)}`;
const WORKFLOW_TITLE = 'Daily fuel prices (created by the e2e test)';
// Nothing listens there: the schedule only has to exist, not to deliver.
const WORKFLOW_URL = `http://127.0.0.1:7119/${WORKFLOW_ID}`;
const CRON = '15 7 * * 1-5';
const TIMEZONE = 'Asia/Singapore';

async function shoot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({
    path: join(ARTIFACTS, `${name}.png`),
    fullPage: true,
  });
}

describe(
  'Create page in Chromium',
  {
    skip: executablePath
      ? false
      : 'Chromium not found: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)',
  },
  () => {
    let portal;
    let browser;
    let qstash;
    let dataDir;

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'portal-scaffolder-e2e-'));
      qstash = await startLocalQStash({ port: '0', echo: false });
      portal = await startPortal({
        configs: [join(HERE, 'app-config.e2e.yaml')],
        env: { ...qstash.variables, E2E_DATA_DIR: dataDir },
      });
      browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    });

    after(async () => {
      await browser?.close();
      await portal?.stop();
      qstash?.child.kill('SIGTERM');
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('creates a workflow from the template and finds it in the catalog, on the Workflows page and on QStash', async () => {
      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      await page.goto(`${FRONTEND_URL}/create`);
      await page.getByRole('button', { name: 'Enter' }).click();

      // The template is a catalog file location: it may take a moment.
      const choose = page
        .getByRole('article')
        .filter({
          has: page.getByRole('heading', { name: 'New QStash workflow' }),
        })
        .last()
        .getByRole('button', { name: 'Choose' });
      for (let attempt = 0; ; attempt++) {
        try {
          await choose.waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt >= 20) throw error;
          await page.reload();
        }
      }
      await choose.click();
      await page.waitForURL(/\/create\/templates\/default\/new-workflow$/);

      // Step 1: the workflow.
      await page
        .getByRole('textbox', { name: 'Workflow id' })
        .fill(WORKFLOW_ID);
      await page.getByRole('textbox', { name: 'Title' }).fill(WORKFLOW_TITLE);
      await page
        .getByRole('textbox', { name: 'Description' })
        .fill('Fetches the pump prices every weekday morning');
      await page.getByRole('textbox', { name: 'Owner' }).click();
      await page
        .getByRole('listbox', { name: 'Owner' })
        .getByRole('option', { name: 'Platform' })
        .click({ timeout: 30_000 });
      await shoot(page, 'scaffolder-form');
      await page.getByRole('button', { name: 'Next' }).click();

      // Step 2: steps, schedule and environment variables.
      const stepNames = page.getByRole('textbox', { name: 'Step name' });
      await stepNames.first().waitFor();
      assert.equal(await stepNames.count(), 3);
      await stepNames.nth(0).fill('fetch prices');
      await stepNames.nth(2).fill('store prices');
      const preview = page.getByLabel('Schedule preview');
      await page.getByRole('textbox', { name: 'Cron' }).fill('61 * * * *');
      // A bad cron: the backend's reason, and no way on.
      await preview
        .getByText(/minute|61/)
        .first()
        .waitFor({ timeout: 15_000 });
      await page.getByRole('textbox', { name: 'Cron' }).fill(CRON);
      await page.getByRole('textbox', { name: 'Time zone' }).fill(TIMEZONE);
      await preview
        .getByText('At 07:15, Monday through Friday')
        .waitFor({ timeout: 15_000 });
      await preview
        .getByRole('list', { name: 'Next fire times' })
        .getByText(/07:15/)
        .first()
        .waitFor();
      const envNames = page.getByRole('textbox', { name: 'Variable name' });
      await page.getByRole('button', { name: 'Add Item' }).last().click();
      await envNames.nth(1).fill('FUEL_API_KEY');
      await shoot(page, 'scaffolder-form-schedule');
      await page.getByRole('button', { name: 'Next' }).click();

      // Step 3: the destination, the data folder by default.
      await page
        .getByRole('textbox', { name: 'Workflow URL' })
        .fill(WORKFLOW_URL);
      assert.match(
        await page
          .getByRole('button', { name: /^Where to put the code/ })
          .innerText(),
        /data directory/,
      );
      await page.getByRole('button', { name: 'Review' }).click();

      // The review: the cron in words and its next fire times.
      const review = page.getByRole('table');
      await review.getByRole('row', { name: /^Schedule in words / }).waitFor();
      assert.match(
        await review
          .getByRole('row', { name: /^Schedule in words / })
          .innerText(),
        /At 07:15, Monday through Friday/,
      );
      const fireTimes = review
        .getByRole('row', { name: /^Next fire times / })
        .getByRole('listitem');
      assert.equal(await fireTimes.count(), 5);
      assert.match(await fireTimes.first().innerText(), /07:15/);
      assert.match(
        await review.getByRole('row', { name: /^Cron / }).innerText(),
        /15 7 \* \* 1-5/,
      );
      await shoot(page, 'scaffolder-review');
      await page.getByRole('button', { name: 'Create' }).click();

      // The task: every step of the local destination succeeds.
      await page.waitForURL(/\/create\/tasks\/[^/]+$/);
      const catalogLink = page.getByRole('link', {
        name: 'Open in the catalog',
      });
      try {
        await catalogLink.waitFor({ timeout: 90_000 });
      } catch (error) {
        await shoot(page, 'scaffolder-task-failed');
        throw new Error(
          `The task did not finish: ${await page
            .locator('article')
            .first()
            .innerText()}`,
          { cause: error },
        );
      }
      const workflowsLink = page.getByRole('link', {
        name: 'Open in Workflows',
      });
      await workflowsLink.waitFor();
      assert.match(
        await page.locator('main, body').first().innerText(),
        new RegExp(
          `workflow-${WORKFLOW_ID}: At 07:15, Monday through Friday \\(Asia/Singapore\\)`,
        ),
      );
      await shoot(page, 'scaffolder-task');

      // The files, in this run's data folder.
      const folder = join(dataDir, 'workflows', WORKFLOW_ID);
      for (const file of [
        'catalog-info.yaml',
        'package.json',
        'src/workflow.ts',
        'src/steps.ts',
      ]) {
        assert.ok(existsSync(join(folder, file)), `${file} was not written`);
      }
      assert.match(
        readFileSync(join(folder, 'catalog-info.yaml'), 'utf8'),
        new RegExp(`name: workflow-${WORKFLOW_ID}`),
      );
      assert.match(
        readFileSync(join(folder, 'src/steps.ts'), 'utf8'),
        /fetch prices[\s\S]*transform[\s\S]*store prices/,
      );

      // The schedule, on the local QStash.
      const { QSTASH_URL, QSTASH_TOKEN } = qstash.variables;
      const schedule = await fetch(
        `${QSTASH_URL}/v2/schedules/workflow-${WORKFLOW_ID}`,
        { headers: { authorization: `Bearer ${QSTASH_TOKEN}` } },
      );
      assert.equal(schedule.status, 200);
      const stored = await schedule.json();
      assert.equal(stored.destination, WORKFLOW_URL);
      assert.match(stored.cron, /15 7 \* \* 1-5/);
      assert.match(stored.cron, /Asia\/Singapore/);

      // The catalog link: the entity, with its Workflow tab.
      await catalogLink.click();
      await page.waitForURL(
        new RegExp(`/catalog/default/component/workflow-${WORKFLOW_ID}`),
      );
      // The catalog processes the new file location shortly after.
      const tab = page
        .getByRole('navigation', { name: 'Content navigation' })
        .getByRole('link', { name: 'Workflow', exact: true });
      for (let attempt = 0; ; attempt++) {
        try {
          await tab.waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt >= 12) throw error;
          await page.reload();
        }
      }
      await page
        .getByRole('heading', { name: WORKFLOW_TITLE })
        .first()
        .waitFor();
      await shoot(page, 'scaffolder-catalog-entity');

      // The Workflows link (absolute, so a new tab): the workflow's page.
      await page.goBack();
      const [workflowPage] = await Promise.all([
        page.waitForEvent('popup'),
        workflowsLink.click(),
      ]);
      await workflowPage.waitForURL(new RegExp(`/workflows/${WORKFLOW_ID}$`));
      await workflowPage
        .getByText(WORKFLOW_TITLE)
        .first()
        .waitFor({ timeout: 30_000 });
      await workflowPage.close();

      // The Workflows page lists it with its schedule.
      await page.goto(`${FRONTEND_URL}/workflows`);
      const row = page.getByTestId(`workflow-${WORKFLOW_ID}`);
      await row.waitFor({ timeout: 30_000 });
      const text = await row.innerText();
      assert.match(text, new RegExp(WORKFLOW_TITLE.replace(/[()]/g, '\\$&')));
      assert.match(text, /07:15/);
      assert.match(text, /Monday through Friday/);
      assert.match(text, /group:default\/platform/);
      await row.scrollIntoViewIfNeeded();
      await shoot(page, 'scaffolder-workflows-page');

      // The same page in the dark theme (kept in local storage).
      await page.evaluate(() => localStorage.setItem('theme', 'dark'));
      await page.reload();
      await row.waitFor({ timeout: 30_000 });
      await shoot(page, 'scaffolder-workflows-page-dark');
      await page.evaluate(() => localStorage.removeItem('theme'));
    });
  },
);
