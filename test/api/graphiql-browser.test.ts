// GraphiQL in a real browser (Debian's Chromium, headless) with every request
// to another host refused, as on a network without a CDN: the page renders,
// loads the schema and runs a query against this server.
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  t = await startTestApp({ env: { GRAPHIQL: 'true' }, overrides: { faceEngine: null } });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('GraphiQL in a browser without the internet', () => {
  it('renders and runs a query, asking no other host for anything', async () => {
    const origin = new URL(t.url).origin;
    const refused: string[] = [];
    const errors: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        if (new URL(url).origin === origin) {
          await route.continue();
        } else {
          refused.push(url);
          await route.abort('internetdisconnected');
        }
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      const query = encodeURIComponent('{ health { status database } }');
      await page.goto(`${t.url}/graphql?query=${query}`, { waitUntil: 'load', timeout: 20_000 });
      await page.waitForSelector('.graphiql-execute-button', { timeout: 20_000 });
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() => document.body.innerText.includes('"healthy"'), null, { timeout: 15_000 });
      expect(await page.title()).toBe('Face attendance');
      // blob: URLs are the editor's workers, made in the page itself.
      expect(refused.filter((u) => !u.startsWith('blob:'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
