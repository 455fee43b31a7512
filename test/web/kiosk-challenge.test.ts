// The kiosk page driving the head-turn challenge in headless Chromium against
// the real server (LIVENESS_MODE=challenge: `me.checkInByChallenge` is true for
// a kiosk key). The fake camera shows a still press photo of an enrolled
// person: the kiosk starts a challenge, shows the turn instructions with a
// countdown, sends frames, and shows the refusal in plain words; nothing is
// logged. A kiosk opened as /kiosk?challenge=1 on a server in passive mode
// does the same (its plain recognize would have checked the person in). (A
// passing run needs a real head turning: not available here; the server side
// of that path is tested in test/liveness/challenge-api.test.ts.)
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeopleFromPhotos } from '../helpers/seed-faces.js';
import { FACES_DIR } from '../helpers/shared-faces.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import type { Page } from 'playwright-core';
import { foreignRequests, openBrowser, signInThroughPage, type BrowserSession } from './browser-harness.js';
import { fakeCameraDir, stillPhotoCamera, type FakeCameraDir } from './fake-cameras.js';

let t: TestApp;
let kiosk: BrowserSession | undefined;
let cameraDir: FakeCameraDir;

beforeAll(async () => {
  t = await startTestApp({ env: { LIVENESS_MODE: 'challenge', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '2' } });
  await seedPeopleFromPhotos(t.app, ['obama']);
  cameraDir = await fakeCameraDir();
}, 120_000);

afterAll(async () => {
  await kiosk?.close();
  await t?.stop();
  await cameraDir?.remove();
});

/** Waits for the turn instructions and the refusal of the still photo; nothing may be logged. */
async function refusedStillPhoto(app: TestApp, session: BrowserSession, page: Page, shot: string): Promise<void> {
  const check = page.getByRole('region', { name: 'Head-turn check' });
  await check.getByText(/Turn your head to your (left|right)/).waitFor({ timeout: 20_000 });
  expect(await check.getByLabel('Seconds left').textContent()).toMatch(/^\d+ s$/);
  expect(await check.getByLabel('Turns done').textContent()).toBe('Turn 1 of 3');
  await session.screenshot(shot);
  // The deadline is 3 s + 2.5 s a turn: the photo never turns, so the verdict comes by then.
  const status = page.getByRole('status').filter({ hasText: 'Check-in refused' });
  await status.waitFor({ timeout: 25_000 });
  expect(await status.textContent()).toMatch(/did not see the head turns we asked for|Time ran out/);
  expect(await check.count()).toBe(0);
  await session.screenshot(`${shot}-refused`);
  expect(await app.app.deps.prisma.attendanceLog.count()).toBe(0);
  expect(foreignRequests(session.requests, app.url)).toEqual([]);
  expect(session.problems).toEqual([]);
}

describe('/kiosk with the head-turn challenge', () => {
  it('shows the turn instructions and a countdown, then refuses a still photo in plain words and logs nothing', async () => {
    const camera = await stillPhotoCamera(cameraDir.dir, resolve(FACES_DIR, 'people/obama/obama-1.jpg'));
    kiosk = await openBrowser(t.url, { fakeCamera: camera, viewport: { width: 1024, height: 900 } });
    const { page } = kiosk;
    await signInThroughPage(page, await t.createKey('kiosk'));
    await page.waitForURL('**/kiosk');

    await refusedStillPhoto(t, kiosk, page, 'kiosk-challenge');
  }, 60_000);
});

describe('/kiosk?challenge=1 on a server in passive mode', () => {
  it('runs the challenge all the same and logs nothing for a still photo', async () => {
    const passive = await startTestApp({ env: { AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '2' } });
    let session: BrowserSession | undefined;
    try {
      await seedPeopleFromPhotos(passive.app, ['obama']);
      const camera = await stillPhotoCamera(cameraDir.dir, resolve(FACES_DIR, 'people/obama/obama-1.jpg'));
      session = await openBrowser(passive.url, { fakeCamera: camera, viewport: { width: 1024, height: 900 } });
      await signInThroughPage(session.page, await passive.createKey('kiosk'), '/kiosk?challenge=1');
      await session.page.waitForURL('**/kiosk?challenge=1');
      await refusedStillPhoto(passive, session, session.page, 'kiosk-challenge-asked');
    } finally {
      await session?.close();
      await passive.stop();
    }
  }, 90_000);
});
