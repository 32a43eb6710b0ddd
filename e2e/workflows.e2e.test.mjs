// The portal in a real browser: guest sign-in, the Workflows page, data from the backend.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
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

    before(async () => {
      portal = await startPortal({
        configs: [join(HERE, 'app-config.e2e.yaml')],
      });
      browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    });

    after(async () => {
      await browser?.close();
      await portal?.stop();
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
  },
);
