// Headless Chromium (Debian's, driven by playwright-core) against the real
// server, for the web app's browser tests. Every request the page makes is
// recorded (the app must never reach another host) and every page error or
// console error is kept (there must be none). Screenshots go to
// test-results/web/ (gitignored).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/web/', import.meta.url));

/** STACK.md's flags for Chromium in a container. */
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested (documents, scripts, fetches, WebSockets). */
  requests: string[];
  /** pageerror and console.error messages. */
  problems: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(baseUrl: string, options: { fakeCamera?: string; viewport?: { width: number; height: number } } = {}): Promise<BrowserSession> {
  const args = [...BASE_ARGS];
  if (options.fakeCamera !== undefined) {
    args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeCamera}`);
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args, timeout: 30_000 });
  const context = await browser.newContext({ baseURL: baseUrl, viewport: options.viewport ?? { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  if (options.fakeCamera !== undefined) {
    await context.grantPermissions(['camera'], { origin: baseUrl });
  }
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('websocket', (ws) => requests.push(ws.url()));
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console.error: ${message.text()} (${message.location().url})`);
    }
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    browser,
    context,
    page,
    requests,
    problems,
    screenshot: async (name) => {
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
    },
    close: async () => {
      await browser.close().catch(() => undefined);
    },
  };
}

/** URLs that left the test server's origin (data: and blob: stay in the page). */
export function foreignRequests(requests: readonly string[], baseUrl: string): string[] {
  const origin = new URL(baseUrl);
  return requests.filter((url) => {
    if (url.startsWith('data:') || url.startsWith('blob:')) {
      return false;
    }
    const u = new URL(url);
    return u.host !== origin.host;
  });
}

/** Signs in through the page as a person would. */
export async function signInThroughPage(page: Page, apiKey: string, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
