// An operator's bad day, on the real server: MariaDB reached through a relay
// the test cuts in each of three ways (refuse, accept-and-close, accept and
// never answer) while a kiosk sends frames (REST and GraphQL) and a live file
// camera plays the walk-by video. During the outage: recognition answers, every
// attendance event is `queued`, routes that need the database answer 503 with
// Retry-After (GraphQL: SERVICE_UNAVAILABLE), health says 503, keys verified
// before still work and a revoked one does not, nothing answers 500 or takes
// long. After it: every check-in is in the database exactly once. Last, a
// restart with events queued: the next process writes them.
// ATTENDANCE_DEDUPE_MINUTES=0, so every event is its own log and "exactly
// once" can be counted event by event.
import { dirname } from 'node:path';
import { print } from 'graphql';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../src/db/database-unavailable.js';
import type { Camera } from '../../src/generated/prisma/client.js';
import { WALKBY_MP4 } from '../cameras/walkby.js';
import { EmployeesDocument, RecognizeDocument } from '../graphql/generated.js';
import { readFacePhoto, seedPeopleFromPhotos } from '../helpers/seed-faces.js';
import { CUT_MODES, type CutMode } from '../helpers/tcp-proxy.js';
import { startOutageServer, type OutageServer } from './outage-server.js';

const PHOTOS = ['people/obama/obama-1.jpg', 'people/biden/biden-1.jpg', 'people/kit_harington/kit-1.jpg', 'probes/obama-biden-1.jpg', 'people/obama/obama-2.jpg'];
/** Slower than this during the outage means something waited on the database. */
const MAX_ANSWER_MS = 3_000;
/** Each outage lasts at least this long (and until the video ends); FAULTS_OUTAGE_MS=60000 for the minute. */
const OUTAGE_MS = Number(process.env.FAULTS_OUTAGE_MS ?? 20_000);

type RecognizeJson = { faces: { employee_id: number | null; attendance?: { status: string; event_id: string | null } }[] };

let s: OutageServer;
let camera: Camera;
let frames: string[];
const keys = { kiosk: '', viewer: '', revoked: '', unseen: '' };

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await ok())) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

async function newKey(role: string): Promise<{ id: number; key: string }> {
  const res = await s.rest<{ id: number; key: string }>('POST', '/api/v1/auth/keys', { body: { name: `faults ${role}`, role } });
  expect(res.status).toBe(201);
  // Used once, so the server has verified it before any outage.
  expect((await s.rest('GET', '/api/v1/auth/me', { key: res.body.key })).status).toBe(200);
  return res.body;
}

/** Sends every photo to REST recognize; returns the attendance event ids of the recognized faces. */
async function kioskFrames(expected: string): Promise<string[]> {
  const ids: string[] = [];
  for (const frame of frames) {
    const res = await s.rest<RecognizeJson>('POST', '/api/v1/recognition/recognize', { key: keys.kiosk, body: { frame_data: frame } });
    expect(res.status).toBe(200);
    const recognized = res.body.faces.filter((f) => f.employee_id !== null);
    expect(recognized.length).toBeGreaterThan(0);
    for (const f of recognized) {
      expect(f.attendance?.status).toBe(expected);
      ids.push(f.attendance!.event_id!);
    }
  }
  return ids;
}

/** GraphQL recognize of a two-face frame; the answer names the event id of each queued face (made by the server). */
async function graphqlFrame(requestId: string): Promise<string[]> {
  const started = performance.now();
  const res = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.kiosk}`, 'x-request-id': requestId },
    body: JSON.stringify({ query: print(RecognizeDocument), variables: { frame: frames[3] } }),
  });
  s.answers.push({ method: 'POST', route: '/graphql recognize', status: res.status, ms: performance.now() - started });
  const body = (await res.json()) as {
    data?: { recognize: { faces: { employeeId: number | null; attendance: { status: string; eventId: string | null } | null }[] } };
  };
  const faces = body.data?.recognize.faces ?? [];
  expect(faces.filter((f) => f.employeeId !== null).map((f) => f.attendance?.status.toLowerCase())).toEqual(['queued', 'queued']);
  return faces.flatMap((f) => (f.employeeId === null || !f.attendance?.eventId ? [] : [f.attendance.eventId]));
}

/** How a graphql-ws connection attempt ends: 'ack', or the close code. */
function wsConnect(key: string): Promise<'ack' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const timer = setTimeout(() => reject(new Error('graphql-ws connection did not settle')), 5_000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
    ws.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'connection_ack') {
        clearTimeout(timer);
        ws.close();
        resolve('ack');
      }
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    ws.on('error', reject);
  });
}

/** What a client sees while the database is gone, besides recognition. */
async function checkServingThroughOutage(): Promise<void> {
  const health = await s.rest<{ database: string }>('GET', '/api/v1/system/health', { key: null });
  expect(health.status).toBe(503);
  expect(health.body.database).toBe('down');
  const list = await s.rest<{ detail: string }>('GET', '/api/v1/employees', { key: keys.viewer });
  expect(list.status).toBe(503);
  expect(list.headers.get('retry-after')).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
  expect(list.body.detail).toMatch(/database is unavailable/i);
  const gql = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.viewer}` },
    body: JSON.stringify({ query: print(EmployeesDocument), variables: {} }),
  });
  const gqlBody = (await gql.json()) as { errors?: { extensions?: { code?: string } }[] };
  expect(gqlBody.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  // Keys verified before the outage work from the cache; the revoked one does not.
  expect((await s.rest('GET', '/api/v1/auth/me', { key: keys.viewer })).status).toBe(200);
  expect((await s.rest('GET', '/api/v1/auth/me', { key: keys.revoked })).status).toBe(401);
  // A key this server never checked cannot be checked now: 503, and 1013 (try again later) on graphql-ws.
  expect((await s.rest('GET', '/api/v1/auth/me', { key: keys.unseen })).status).toBe(503);
  expect(await wsConnect(keys.viewer)).toBe('ack');
  expect(await wsConnect(keys.unseen)).toBe(1013);
  // Live results are in memory: still served.
  expect((await s.rest('GET', `/api/v1/recognition/recognized?camera_id=${camera.id}`, { key: keys.viewer })).status).toBe(200);
}

async function countLogs(eventIds: readonly string[]): Promise<number> {
  return s.db.prisma.attendanceLog.count({ where: { eventId: { in: [...eventIds] } } });
}

beforeAll(async () => {
  // The walk-by camera reads a video file: only inside CAMERA_MEDIA_DIRS.
  s = await startOutageServer({ ATTENDANCE_DEDUPE_MINUTES: '0', CAMERA_MEDIA_DIRS: dirname(WALKBY_MP4) });
  frames = PHOTOS.map((p) => Buffer.from(readFacePhoto(p)).toString('base64'));
  await seedPeopleFromPhotos(s.app, ['obama', 'biden', 'kit_harington'], { augmentations: 1 });
  keys.kiosk = (await newKey('kiosk')).key;
  keys.viewer = (await newKey('viewer')).key;
  const revoked = await newKey('viewer');
  expect((await s.rest('DELETE', `/api/v1/auth/keys/${revoked.id}`)).status).toBe(200);
  keys.revoked = revoked.key;
  const unseen = await s.rest<{ key: string }>('POST', '/api/v1/auth/keys', { body: { name: 'faults never used', role: 'viewer' } });
  keys.unseen = unseen.body.key;
  const created = await s.rest<{ id: number }>('POST', '/api/v1/cameras', {
    body: { name: 'door', source: WALKBY_MP4, realtime: false, predict_interval: 1, enabled: false },
  });
  expect(created.status).toBe(201);
  camera = await s.db.prisma.camera.findUniqueOrThrow({ where: { id: created.body.id } });
}, 180_000);

afterAll(async () => {
  await s?.stop();
});

describe.each(CUT_MODES)('database outage: %s', (mode: CutMode) => {
  it('keeps recognizing, queues every check-in, answers 503 (never 500), then writes each check-in exactly once', async () => {
    // An hour later: every cached key lookup is stale, as in a real outage.
    s.advanceClock(3_600_000);
    const cameras = s.app.services.cameras;
    const outbox = s.app.services.attendance.outbox;
    const logsBefore = await s.db.prisma.attendanceLog.count({ where: { cameraId: camera.id } });
    const ringBefore = (await cameras.recent({ cameraId: camera.id, limit: 500 })).length;
    const answersBefore = s.answers.length;
    expect((await s.rest('POST', `/api/v1/cameras/${camera.id}/start`)).status).toBe(200);

    await s.relay.cut(mode);
    const outageStarted = Date.now();
    const videoEnded = waitFor('the video to end', () => {
      const info = cameras.infoOf(camera);
      return info.state === 'stopped' && info.stoppedReason === 'ended';
    }, 120_000);
    let cameraDone = false;
    void videoEnded.then(() => (cameraDone = true), () => (cameraDone = true));
    // The kiosk keeps sending frames for the whole outage, while the camera plays.
    const restIds: string[] = [];
    while (!cameraDone || Date.now() - outageStarted < OUTAGE_MS) {
      restIds.push(...(await kioskFrames('queued')));
    }
    await videoEnded;
    const gqlIds = await graphqlFrame(`faults-${mode}-gql`);
    await checkServingThroughOutage();
    await cameras.idle(camera.id);
    const run = async (): Promise<{ attendance: string }[]> => (await cameras.recent({ cameraId: camera.id, limit: 500 })).slice(0, -ringBefore || undefined);
    await waitFor('camera decisions to be recorded', async () => (await run()).every((r) => r.attendance !== 'pending'), 10_000);
    const decisions = await run();
    expect(decisions.length).toBeGreaterThan(0);
    // The first decision may beat the cut by a few milliseconds; none may fail.
    expect(decisions.filter((d) => d.attendance !== 'logged' && d.attendance !== 'queued')).toEqual([]);
    expect(decisions.some((d) => d.attendance === 'queued')).toBe(true);
    expect(outbox.status()).toMatchObject({ level: 'ok', retrying: true });
    expect(outbox.size).toBeGreaterThanOrEqual(restIds.length + gqlIds.length);
    expect(await countLogs([...restIds, ...gqlIds])).toBe(0);
    const outageMs = Date.now() - outageStarted;

    await s.relay.restore();
    const drainMs = await waitFor('the outbox to drain', () => outbox.size === 0, 30_000);
    expect(await countLogs(restIds)).toBe(new Set(restIds).size);
    expect(new Set(restIds).size).toBe(restIds.length);
    expect(await countLogs(gqlIds)).toBe(2);
    expect(await s.db.prisma.attendanceLog.count({ where: { cameraId: camera.id } })).toBe(logsBefore + decisions.length);
    await waitFor('health to be back', async () => (await s.rest('GET', '/api/v1/system/health', { key: null })).status === 200, 10_000);

    const answers = s.answers.slice(answersBefore);
    expect(answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
    expect(answers.filter((a) => a.ms > MAX_ANSWER_MS)).toEqual([]);
    const slowest = Math.round(Math.max(...answers.map((a) => a.ms)));
    console.info(
      `[faults] ${mode}: outage ${outageMs} ms, ${restIds.length + gqlIds.length} kiosk + ${decisions.length} camera check-ins, drained in ${drainMs} ms, slowest answer ${slowest} ms`,
    );
  }, 180_000);
});

describe('restart with check-ins queued', () => {
  it('the next process on the same DATA_DIR writes them, once each', async () => {
    s.advanceClock(3_600_000);
    await s.relay.cut('refuse');
    const ids = await kioskFrames('queued');
    expect(s.app.services.attendance.outbox.size).toBeGreaterThanOrEqual(ids.length);
    // Stopped while the database is still gone: the queue stays on disk.
    await s.restart(() => s.relay.restore());
    const outbox = s.app.services.attendance.outbox;
    const drainMs = await waitFor('the new process to drain the outbox', async () => outbox.size === 0 && (await countLogs(ids)) === ids.length, 30_000);
    expect(await countLogs(ids)).toBe(ids.length);
    expect(s.answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
    console.info(`[faults] restart: ${ids.length} queued check-ins written by the next process in ${drainMs} ms`);
  }, 120_000);
});
