// Camera management through the real server (GraphQL and REST): CRUD with its
// errors, permissions, and sources that cannot be opened: the camera says
// reconnecting and the server keeps serving. The environment's camera
// (CAMERA_SOURCE) exists without any API call.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { errorCodes } from '../helpers/graphql-client.js';
import { graphqlWsCollector, legacyCollector } from './subscribers.js';
import {
  CameraInfoDocument,
  CamerasDocument,
  CreateCameraDocument,
  DeleteCameraDocument,
  RecognizedDocument,
  StartCameraDocument,
  StopCameraDocument,
  UpdateCameraDocument,
} from '../graphql/generated.js';

let t: TestApp;

beforeAll(async () => {
  // A camera from the environment that cannot open: a missing file.
  // API file sources must be inside CAMERA_MEDIA_DIRS (the environment's CAMERA_SOURCE is trusted).
  t = await startTestApp({
    env: { CAMERA_SOURCE: '/nonexistent/door.mp4', CAMERA_LOOP: 'true', CAMERA_MEDIA_DIRS: `/nonexistent,${resolve(process.cwd(), 'videos')}` },
  });
});
afterAll(async () => {
  await t?.stop();
});

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface InfoJson {
  camera_id: number;
  state: string;
  error: string | null;
  reconnect_attempt: number;
  frames_dropped: number;
  latency_ms: { p50: number | null };
}

describe('cameras', () => {
  it('creates the environment camera at start, which reports reconnecting for a missing file', async () => {
    const listed = await waitFor('env camera', () => t.gql(CamerasDocument, {}), (r) => (r.data?.cameras.length ?? 0) > 0);
    const env = listed.data!.cameras[0]!;
    expect(env).toMatchObject({ name: 'default', sourceKind: 'file', source: '/nonexistent/door.mp4', loop: true, enabled: true });
    const info = await waitFor(
      'reconnecting',
      () => t.rest<{ cameras: InfoJson[] }>('GET', `/api/v1/recognition/camera/info?camera_id=${env.id}`),
      (r) => r.body.cameras[0]?.state === 'reconnecting',
    );
    expect(info.body.cameras[0]).toMatchObject({ camera_id: env.id, state: 'reconnecting', frames_dropped: 0 });
    expect(info.body.cameras[0]!.error).toBeTruthy();
  });

  it('an unreachable stream reconnects with backoff while the server keeps serving', async () => {
    const created = await t.gql(CreateCameraDocument, { input: { name: 'dead-rtsp', source: 'rtsp://user:secret@127.0.0.1:1/x' } });
    const camera = created.data?.createCamera;
    expect(camera?.__typename).toBe('Camera');
    if (camera?.__typename !== 'Camera') {
      return;
    }
    expect(camera.sourceKind).toBe('rtsp');
    expect(camera.source).toBe('rtsp://***:***@127.0.0.1:1/x');
    const info = await waitFor(
      'reconnecting',
      () => t.gql(CameraInfoDocument, { cameraId: camera.id }),
      (r) => (r.data?.cameraInfo[0]?.reconnectAttempt ?? 0) >= 1,
    );
    expect(info.data?.cameraInfo[0]).toMatchObject({ state: 'reconnecting', source: 'rtsp://***:***@127.0.0.1:1/x' });
    const health = await t.rest('GET', '/api/v1/system/health', { key: null });
    expect(health.status).toBe(200);

    const stopped = await t.gql(StopCameraDocument, { id: camera.id });
    expect(stopped.data?.stopCamera).toMatchObject({ __typename: 'CameraInfo', state: 'stopped' });
    const restarted = await t.gql(StartCameraDocument, { id: camera.id });
    expect(restarted.data?.startCamera).toMatchObject({ __typename: 'CameraInfo', cameraId: camera.id });
    expect((restarted.data?.startCamera as { state: string }).state).not.toBe('stopped');
  });

  it('names are unique (409 / CameraNameTakenError), sources are validated (422 / ValidationError)', async () => {
    const first = await t.rest<{ id: number; source_kind: string; info: { state: string } }>('POST', '/api/v1/cameras', {
      body: { name: 'lobby', source: '/nonexistent/lobby.mp4', enabled: false, predict_interval: 2 },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ source_kind: 'file', info: { state: 'stopped' } });
    const again = await t.rest('POST', '/api/v1/cameras', { body: { name: 'lobby', source: '0' } });
    expect(again.status).toBe(409);
    const gqlAgain = await t.gql(CreateCameraDocument, { input: { name: 'lobby', source: '0' } });
    expect(gqlAgain.data?.createCamera).toMatchObject({ __typename: 'CameraNameTakenError', cameraName: 'lobby', code: 'CONFLICT' });

    const badScheme = await t.rest<{ detail: { loc: string[] }[] }>('POST', '/api/v1/cameras', { body: { name: 'ftp', source: 'ftp://x/y' } });
    expect(badScheme.status).toBe(422);
    expect(badScheme.body.detail[0]?.loc).toContain('source');
    const gqlBad = await t.gql(CreateCameraDocument, { input: { name: 'bad', source: '   ', predictInterval: 0 } });
    expect(gqlBad.data?.createCamera.__typename).toBe('ValidationError');

    const renamed = await t.gql(UpdateCameraDocument, { id: first.body.id, input: { name: 'dead-rtsp' } });
    expect(renamed.data?.updateCamera).toMatchObject({ __typename: 'CameraNameTakenError' });
    const updated = await t.rest<{ predict_interval: number; realtime: boolean }>('PUT', `/api/v1/cameras/${first.body.id}`, {
      body: { predict_interval: 3, realtime: false },
    });
    expect(updated.body).toMatchObject({ predict_interval: 3, realtime: false });

    // Relative file paths are stored absolute: they must not depend on where the server starts.
    const relative = await t.rest<{ source: string }>('POST', '/api/v1/cameras', { body: { name: 'relative', source: 'videos/door.mp4', enabled: false } });
    expect(relative.body.source).toBe(resolve(process.cwd(), 'videos/door.mp4'));

    const deleted = await t.gql(DeleteCameraDocument, { id: first.body.id });
    expect(deleted.data?.deleteCamera).toMatchObject({ __typename: 'Camera', id: first.body.id });
    expect((await t.rest('GET', `/api/v1/cameras/${first.body.id}`)).status).toBe(404);
    expect((await t.gql(DeleteCameraDocument, { id: first.body.id })).data?.deleteCamera).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('viewers read and subscribe, admins and operators manage, kiosks do neither', async () => {
    const viewer = await t.createKey('viewer');
    const operator = await t.createKey('operator');
    const kiosk = await t.createKey('kiosk');
    expect((await t.rest('GET', '/api/v1/recognition/camera/info', { key: viewer })).status).toBe(200);
    expect((await t.rest('GET', '/api/v1/recognition/recognized', { key: viewer })).status).toBe(200);
    expect((await t.rest('GET', '/api/v1/cameras', { key: kiosk })).status).toBe(403);
    expect((await t.rest('POST', '/api/v1/cameras', { key: viewer, body: { name: 'v', source: '0' } })).status).toBe(403);
    expect(errorCodes(await t.gql(CreateCameraDocument, { input: { name: 'v', source: '0' } }, viewer))).toEqual(['FORBIDDEN']);
    const byOperator = await t.rest('POST', '/api/v1/cameras', { key: operator, body: { name: 'op', source: '/nonexistent/op.mp4', enabled: false } });
    expect(byOperator.status).toBe(201);
    expect(errorCodes(await t.gql(CamerasDocument, {}, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('the old WebSocket and the subscriptions refuse callers without a key or the permission', async () => {
    const anonymous = legacyCollector(t.url, '');
    expect(await anonymous.closeCode).toBe(1008);
    expect(anonymous.items[0]).toMatchObject({ type: 'error', detail: expect.stringMatching(/API key/) as unknown });
    const kioskKey = await t.createKey('kiosk');
    const kiosk = legacyCollector(t.url, `token=${kioskKey}`);
    expect(await kiosk.closeCode).toBe(1008);
    const viewer = legacyCollector(t.url, `api_key=${await t.createKey('viewer')}&camera_id=1`);
    await viewer.opened;
    await expect.poll(() => viewer.items[0]).toMatchObject({ type: 'connected', camera_id: 1 });
    await viewer.close();

    const unknown = graphqlWsCollector(t.url, t.adminKey, RecognizedDocument, { cameraId: 9999 });
    await expect.poll(() => unknown.errors.length).toBe(1);
    expect(JSON.stringify(unknown.errors[0])).toContain('NOT_FOUND');
    await unknown.close();

    const refused = graphqlWsCollector(t.url, kioskKey, RecognizedDocument, {});
    await expect.poll(() => refused.errors.length).toBe(1);
    expect(JSON.stringify(refused.errors[0])).toContain('FORBIDDEN');
    await refused.close();
  });

  it('GET /recognition/recognized is empty before anyone walked by', async () => {
    const res = await t.rest<{ recognized: unknown[]; count: number }>('GET', '/api/v1/recognition/recognized?limit=5');
    expect(res.body).toEqual({ recognized: [], count: 0 });
  });
});
