// The web app in headless Chromium against the real server (real database,
// face engine and shared photos): sign-in, /live naming the walk-by video's
// people, /attendance showing their check-ins, /employees listing and creating,
// /enroll completing a guided head turn from a fake camera, /kiosk greeting a
// person from a still-photo camera, /cameras and /settings, a manual attendance log. Across all pages:
// no request to another host, no page error. Screenshots: test-results/web/.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WALKBY_MP4 } from '../cameras/walkby.js';
import { headTurnFrames } from '../enrollment-service/pose-frames.js';
import { CreateCameraDocument, StopCameraDocument } from '../graphql/generated.js';
import { displayName, seedPeopleFromPhotos } from '../helpers/seed-faces.js';
import { FACES_DIR } from '../helpers/shared-faces.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { foreignRequests, openBrowser, signInThroughPage, type BrowserSession } from './browser-harness.js';
import { fakeCameraDir, framesCamera, stillPhotoCamera, type FakeCameraDir } from './fake-cameras.js';

/** Enrolled from photos before the browser opens; Rose Leslie is enrolled through /enroll. */
const SEEDED = ['obama', 'biden', 'kit_harington', 'alex_lacamoire'] as const;

let t: TestApp;
let main: BrowserSession;
let walkbyId = 0;
const sessions: BrowserSession[] = [];
let cameraDir: FakeCameraDir;

beforeAll(async () => {
  // Cameras read video files only inside CAMERA_MEDIA_DIRS.
  t = await startTestApp({ env: { ENROLLMENT_RING_SECTORS: '4', AUTO_RETRAIN: 'false', CAMERA_MEDIA_DIRS: dirname(WALKBY_MP4) } });
  await seedPeopleFromPhotos(t.app, SEEDED);
  cameraDir = await fakeCameraDir();
  const created = await t.gql(CreateCameraDocument, {
    input: { name: 'Front door', source: WALKBY_MP4, loop: true, realtime: true, predictInterval: 2, enabled: false },
  });
  if (created.data?.createCamera.__typename !== 'Camera') {
    throw new Error(`camera not created: ${JSON.stringify(created)}`);
  }
  walkbyId = created.data.createCamera.id;
  main = await openBrowser(t.url);
  sessions.push(main);
}, 120_000);

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await t?.stop();
  await cameraDir?.remove();
});

describe('web app in a browser', () => {
  it('signs in with an API key, refusing a wrong one', async () => {
    const { page } = main;
    await page.goto('/live');
    await page.waitForURL('**/sign-in');
    await main.screenshot('sign-in');
    await page.getByLabel('API key').fill('wrong-key-wrong-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByText('That API key is not valid').count()).toBe(1);
    await page.getByLabel('API key').fill(t.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the person wanted to go.
    await page.waitForURL('**/live');
    const cookies = await main.context.cookies();
    expect(cookies.find((c) => c.name === 'fa_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The key itself is kept nowhere in the page.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).not.toContain(t.adminKey);
  }, 60_000);

  it('/live shows the walk-by camera with the names of the people walking past', async () => {
    const { page } = main;
    await page.goto('/live');
    await page.getByRole('heading', { name: 'Front door' }).waitFor();
    await t.rest('POST', `/api/v1/cameras/${walkbyId}/start`);
    // The picture arrives over the preview WebSocket...
    await page.getByRole('img', { name: 'Live picture of Front door' }).waitFor({ timeout: 30_000 });
    // ...and recognized people fill the running list.
    const feed = page.getByRole('list', { name: 'Recognized people' });
    await feed.getByText(displayName('obama')).first().waitFor({ timeout: 45_000 });
    await feed.getByText(displayName('kit_harington')).first().waitFor({ timeout: 45_000 });
    // Boxes and names are drawn over the picture while someone is in view.
    await expect.poll(async () => page.locator('svg.overlay rect').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => page.locator('.tile-metrics').first().textContent()).toMatch(/In \d/);
    await main.screenshot('live');
  }, 120_000);

  it('/attendance shows the check-ins of the people the camera saw', async () => {
    const { page } = main;
    await page.getByRole('link', { name: 'Attendance' }).click();
    const present = page.getByRole('table', { name: 'Present today' });
    await present.getByText(displayName('obama')).waitFor();
    await present.getByText(displayName('kit_harington')).waitFor();
    await page.getByRole('table', { name: 'Attendance logs' }).getByText(displayName('obama')).first().waitFor();
    await page.getByRole('img', { name: /People present per day/ }).waitFor();
    await main.screenshot('attendance');
    // The walk-by camera has done its part: the rest runs without its load, and it must not
    // check in the person /enroll is about to enroll (she walks past later in the video).
    await t.gql(StopCameraDocument, { id: walkbyId });
  }, 60_000);

  it('/employees lists the people and creates a new one', async () => {
    const { page } = main;
    await page.getByRole('link', { name: 'Employees' }).click();
    const table = page.getByRole('table', { name: 'Employees' });
    await table.getByText(displayName('biden'), { exact: true }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(SEEDED.length);
    await page.getByRole('button', { name: 'New employee' }).click();
    const dialog = page.getByRole('dialog', { name: 'New employee' });
    await dialog.getByLabel('Employee code').fill('W-100');
    await dialog.getByLabel('Full name').fill('Grace Hopper');
    await dialog.getByLabel('Department').fill('Engineering');
    await dialog.getByRole('button', { name: 'Create employee' }).click();
    await page.getByText('Grace Hopper was added.').waitFor();
    await table.getByText('Grace Hopper').waitFor();
    await page.getByLabel('Search').fill('grace');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(SEEDED.length + 1);
    await main.screenshot('employees');
  }, 60_000);

  it('/attendance adds a manual log through the dialog: in the logs (filtered by person) and the audit trail', async () => {
    const { page } = main;
    await page.getByRole('link', { name: 'Attendance' }).click();
    await page.getByRole('button', { name: 'Add manual log' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a manual log' });
    await dialog.getByLabel('Person').selectOption({ label: 'Grace Hopper' });
    const at = new Date(Date.now() - 60_000);
    const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await dialog.getByLabel('Time').fill(local);
    await dialog.getByLabel('Reason').fill('Forgot her badge');
    await dialog.getByRole('button', { name: 'Add log' }).click();
    await page.getByText('Added a manual log for Grace Hopper.').waitFor();
    await page.getByRole('table', { name: 'Audit trail' }).getByText('Forgot her badge').waitFor();
    const logs = page.getByRole('table', { name: 'Attendance logs' });
    await page.getByRole('form', { name: 'Log filters' }).getByLabel('Person').selectOption({ label: 'Grace Hopper' });
    await expect.poll(() => logs.locator('tbody tr').count()).toBe(1);
    await logs.getByText('Grace Hopper').waitFor();
  }, 60_000);

  it('/enroll completes a guided head turn from the camera and creates the employee', async () => {
    await t.gql(StopCameraDocument, { id: walkbyId });
    const frames = await headTurnFrames(t.app.deps.faceEngine!, readFileSync(resolve(FACES_DIR, 'people/rose_leslie/rose-1.jpg')));
    const camera = await framesCamera(cameraDir.dir, frames, 3);
    const enroll = await openBrowser(t.url, { fakeCamera: camera });
    sessions.push(enroll);
    const { page } = enroll;
    await signInThroughPage(page, t.adminKey, '/enroll');
    await page.waitForURL('**/enroll');
    await page.getByLabel('Employee code').fill('W-200');
    await page.getByLabel('Full name').fill(displayName('rose_leslie'));
    await page.getByRole('button', { name: 'Start face scan' }).click();
    // The ring fills as the server accepts frames.
    await expect.poll(async () => page.locator('.ring-sector.covered').count(), { timeout: 60_000 }).toBeGreaterThan(1);
    await enroll.screenshot('enroll');
    await page.getByText(`${displayName('rose_leslie')} is enrolled`).waitFor({ timeout: 90_000 });
    await enroll.screenshot('enroll-done');
    const found = await t.rest<{ full_name: string }[]>('GET', '/api/v1/employees?search=W-200');
    expect(found.body.map((e) => e.full_name)).toEqual([displayName('rose_leslie')]);
    await enroll.close();
  }, 150_000);

  it('/kiosk greets an enrolled person from a still-photo camera and checks them in', async () => {
    const camera = await stillPhotoCamera(cameraDir.dir, resolve(FACES_DIR, 'people/rose_leslie/rose-2.jpg'));
    const kiosk = await openBrowser(t.url, { fakeCamera: camera, viewport: { width: 1024, height: 768 } });
    sessions.push(kiosk);
    const { page } = kiosk;
    // A kiosk key lands on the kiosk.
    await signInThroughPage(page, await t.createKey('kiosk'));
    await page.waitForURL('**/kiosk');
    const status = page.getByRole('status').filter({ hasText: /Welcome|Hello again|Sorry/ });
    await status.waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(new RegExp(`Welcome, ${displayName('rose_leslie')}.*Checked in at \\d{1,2}:\\d{2}`));
    await kiosk.screenshot('kiosk');
    const today = await t.rest<{ employee_name?: string; employee_id: number }[]>('GET', '/api/v1/attendance/today');
    expect(today.status).toBe(200);
    await kiosk.close();
  }, 120_000);

  it('/cameras shows live state and adds a camera', async () => {
    const { page } = main;
    await page.getByRole('link', { name: 'Cameras' }).click();
    const table = page.getByRole('table', { name: 'Cameras' });
    await table.getByText('Front door').waitFor();
    await page.getByRole('button', { name: 'Add camera' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a camera' });
    await dialog.getByLabel('Name').fill('Back door');
    await dialog.getByLabel('Source', { exact: true }).fill(WALKBY_MP4);
    await dialog.getByLabel('Start with the server').uncheck();
    await dialog.getByRole('button', { name: 'Add camera' }).click();
    await page.getByText('Back door saved.').waitFor();
    await table.getByText('Back door').waitFor();
    await main.screenshot('cameras');
  }, 60_000);

  it('/settings creates a key shown once, and revokes it', async () => {
    const { page } = main;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByLabel('Name').fill('Reception tablet');
    await dialog.getByLabel('Role').selectOption('viewer');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(key).toMatch(/^fa_/);
    expect((await t.rest('GET', '/api/v1/auth/me', { key })).status).toBe(200);
    await main.screenshot('settings');
    await page.getByRole('button', { name: 'Revoke Reception tablet' }).click();
    await page.getByRole('dialog', { name: /Revoke/ }).getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('table', { name: 'API keys' }).getByText('Reception tablet').waitFor({ state: 'detached' });
    expect((await t.rest('GET', '/api/v1/auth/me', { key })).status).toBe(401);
  }, 60_000);

  it('lays out for a tablet: the navigation moves above the page', async () => {
    const { page } = main;
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByRole('link', { name: 'Attendance' }).click();
    await page.getByRole('table', { name: 'Present today' }).waitFor();
    const content = await page.locator('main').boundingBox();
    expect(content?.x).toBeLessThan(20);
    await main.screenshot('attendance-tablet');
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 30_000);

  it('signs out', async () => {
    const { page } = main;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect((await main.context.cookies()).find((c) => c.name === 'fa_session')).toBeUndefined();
    await page.goto('/attendance');
    await page.waitForURL('**/sign-in');
  }, 30_000);

  it('made no request to another host and no page error', () => {
    const all = sessions.flatMap((s) => s.requests);
    expect(all.length).toBeGreaterThan(10);
    expect(foreignRequests(all, t.url)).toEqual([]);
    // The one expected failure: the browser logs the 401 of the wrong key tried at sign-in.
    const wrongKey = /^console\.error: Failed to load resource: .*401.*\/api\/v1\/auth\/session\)$/;
    const problems = sessions.flatMap((s) => s.problems);
    expect(problems.filter((p) => wrongKey.test(p))).toHaveLength(1);
    expect(problems.filter((p) => !wrongKey.test(p))).toEqual([]);
  });
});
