// The portal in a real browser: guest sign-in, the Workflows page, data from the backend.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startLocalQStash } from '../scripts/local-qstash.mjs';
import {
  BACKEND_URL,
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

describe(
  'Workflows page in Chromium',
  {
    skip: executablePath
      ? false
      : 'Chromium not found: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)',
  },
  () => {
    let portal;
    let browser;
    let qstash;

    before(async () => {
      qstash = await startLocalQStash({ port: '0', echo: false });
      portal = await startPortal({
        configs: [join(HERE, 'app-config.e2e.yaml')],
        env: qstash.variables,
      });
      browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    });

    after(async () => {
      await browser?.close();
      await portal?.stop();
      qstash?.child.kill('SIGTERM');
    });

    it('signs in as guest and shows the workflows the backend returns', async () => {
      const fromBackend = await fetch(`${BACKEND_URL}/api/workflows/health`);
      assert.equal(fromBackend.status, 200);

      const page = await browser.newPage();
      await page.goto(FRONTEND_URL);
      await page.getByRole('button', { name: 'Enter' }).click();

      await page.getByRole('link', { name: 'Workflows' }).first().click();
      await page.waitForURL(/\/workflows$/);

      const row = page.getByTestId('workflow-e2e-coe-results');
      await row.waitFor({ timeout: 60_000 });
      const text = await row.innerText();
      assert.match(text, /COE results \(tracked by the e2e test\)/);
      assert.match(text, /https:\/\/jobs\.example\.com\/workflows\/coe/);
      assert.match(text, /group:default\/platform/);
      assert.match(text, /Monday through Friday/);
      // The hosted runners of the sgcarstrends module are listed next to it.
      for (const id of ['trigger', 'cars', 'coe']) {
        await page.getByTestId(`workflow-${id}`).waitFor();
      }
      assert.match(
        await page.getByTestId('workflow-cars').innerText(),
        /Car registrations update[\s\S]*Hosted[\s\S]*\/api\/workflows\/runners\/cars/,
      );
      assert.ok(
        await page.getByText('4 workflows', { exact: true }).isVisible(),
      );

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({
        path: join(ARTIFACTS, 'workflows-page.png'),
        fullPage: true,
      });
    });

    it('shows a cars run that went through QStash, with its step journal', async () => {
      const { QSTASH_URL, QSTASH_TOKEN } = qstash.variables;
      const runner = `${BACKEND_URL}/api/workflows/runners/cars`;
      const triggered = await fetch(`${QSTASH_URL}/v2/trigger/${runner}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${QSTASH_TOKEN}`,
          'content-type': 'application/json',
        },
        body: '{}',
      });
      assert.equal(triggered.status, 200, await triggered.clone().text());
      const { workflowRunId } = await triggered.json();

      const page = await browser.newPage();
      await page.goto(`${FRONTEND_URL}/workflows`);
      await page.getByRole('button', { name: 'Enter' }).click();
      await page
        .getByRole('link', { name: 'Car registrations update' })
        .click();
      await page.waitForURL(/\/workflows\/cars$/);

      // The run finishes in the background; reload until the journal says so.
      const row = page.getByTestId(`run-${workflowRunId}`);
      const deadline = Date.now() + 90_000;
      const loaded = page
        .getByRole('table', { name: 'Runs' })
        .or(page.getByText('No runs yet'));
      for (;;) {
        // Wait for this load of the page to finish before reading it.
        await loaded.waitFor();
        if (
          (await row.count()) > 0 &&
          /Succeeded/.test(await row.innerText())
        ) {
          break;
        }
        assert.ok(
          Date.now() < deadline,
          `run ${workflowRunId} did not succeed in time; the page shows:\n${await page
            .locator('main')
            .innerText()}`,
        );
        await page.waitForTimeout(1000);
        await page.reload();
      }

      await page
        .getByRole('button', { name: `Show steps of ${workflowRunId}` })
        .click();
      const journal = page.getByRole('table', {
        name: `Steps of run ${workflowRunId}`,
      });
      await journal.waitFor();
      const text = await journal.innerText();
      assert.match(text, /Processing "cars" data/);
      assert.match(text, /Read latest month/);
      // The embedded default posts in dry-run mode: recorded, not sent.
      assert.match(text, /Publish to Discord[\s\S]*"status":"dry-run"/);
      await page.waitForTimeout(500); // let the row finish expanding
      await page.screenshot({
        path: join(ARTIFACTS, 'cars-run.png'),
        fullPage: true,
      });
    });
  },
);
