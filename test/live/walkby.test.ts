// The walk-by video as a camera of the real server: five people enrolled from
// their photos, the video played losslessly (realtime: false), and every kind
// of subscriber attached at once: ten graphql-ws `recognized` subscribers, one
// over SSE, one on `recognitionFrames`, the old WebSocket, and two clients that
// never read their sockets. Checked: identities arrive in walkby.csv's order,
// nobody is named while out of view, one attendance log per person, all
// readers get the same events, and the stalled ones hold nobody up.
import { dirname } from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peopleAt, readWalkby, WALKBY_MP4, type WalkbySegment } from '../cameras/walkby.js';
import {
  CameraInfoDocument,
  CreateCameraDocument,
  RecognitionFramesDocument,
  RecognizedDocument,
  StartCameraDocument,
  type RecognitionFramesSubscription,
  type RecognizedSubscription,
} from '../graphql/generated.js';
import { seedPeopleFromPhotos } from '../helpers/seed-faces.js';
import { waitUntil } from '../helpers/wait.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  graphqlWsCollector,
  legacyCollector,
  sseCollector,
  stalledGraphqlWsClient,
  stalledLegacyClient,
  type Collector,
  type LegacyMessage,
} from './subscribers.js';

/** A decision may come a little after a cut in the video (votes need a few frames). */
const TOLERANCE_MS = 500;

let t: TestApp;
let segments: WalkbySegment[];
const nameOf = new Map<number, string>();
let cameraId = 0;
let viewerKey = '';
let recognizedSubs: Collector<RecognizedSubscription>[] = [];
let sse: Collector<RecognizedSubscription>;
let frames: Collector<RecognitionFramesSubscription>;
let legacy: ReturnType<typeof legacyCollector>;
const stalled: { close(): void }[] = [];
let info: { framesProcessed: number; framesDropped: number; recognitions: number; stoppedReason: string | null } | undefined;

const waitFor = (what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> => waitUntil(what, ok, timeoutMs, 50);

const names = (items: RecognizedSubscription[]): string[] => items.map((i) => nameOf.get(i.recognized.employeeId) ?? '?');

beforeAll(async () => {
  segments = readWalkby();
  t = await startTestApp({ env: { CAMERA_MEDIA_DIRS: dirname(WALKBY_MP4) } });
  for (const person of await seedPeopleFromPhotos(t.app)) {
    nameOf.set(person.employee.id, person.name);
  }
  viewerKey = await t.createKey('viewer');
  const created = await t.gql(CreateCameraDocument, {
    input: { name: 'walkby', source: WALKBY_MP4, realtime: false, predictInterval: 1, enabled: false },
  });
  if (created.data?.createCamera.__typename !== 'Camera') {
    throw new Error(`camera not created: ${JSON.stringify(created)}`);
  }
  cameraId = created.data.createCamera.id;

  recognizedSubs = Array.from({ length: 10 }, () => graphqlWsCollector(t.url, viewerKey, RecognizedDocument, { cameraId }));
  sse = sseCollector(t.url, viewerKey, RecognizedDocument, { cameraId });
  frames = graphqlWsCollector(t.url, viewerKey, RecognitionFramesDocument, { cameraId });
  legacy = legacyCollector(t.url, `token=${viewerKey}&camera_id=${cameraId}`);
  stalled.push(stalledLegacyClient(t.port, `api_key=${viewerKey}&camera_id=${cameraId}`));
  stalled.push(await stalledGraphqlWsClient(t.url, viewerKey, print(RecognitionFramesDocument), { cameraId }));
  // Subscriptions are live once their buffers exist; no protocol message says so.
  const live = t.app.live;
  await waitFor('subscribers', () => {
    const n = live.subscriberCount();
    return n.recognized >= 12 && n.frames >= 4;
  }, 20_000);

  const started = await t.gql(StartCameraDocument, { id: cameraId });
  expect(started.data?.startCamera.__typename).toBe('CameraInfo');
  await waitFor('the video to end', async () => {
    const res = await t.gql(CameraInfoDocument, { cameraId });
    const i = res.data?.cameraInfo[0];
    return i?.state === 'stopped' && i.stoppedReason === 'ended';
  }, 100_000);
  await t.app.services.cameras.idle(cameraId);
  info = (await t.gql(CameraInfoDocument, { cameraId })).data?.cameraInfo[0];
  const total = info?.recognitions ?? 0;
  await waitFor('every reader to catch up', () => [...recognizedSubs, sse].every((s) => s.items.length >= total), 10_000).catch(() => undefined);
}, 240_000);

afterAll(async () => {
  for (const s of stalled) {
    s.close();
  }
  await Promise.all([...recognizedSubs, sse, frames, legacy].filter(Boolean).map((c) => c.close()));
  await t?.stop();
});

describe('walk-by video as a live camera', () => {
  it('plays the whole file without losing a frame', () => {
    expect(info).toMatchObject({ stoppedReason: 'ended', framesDropped: 0 });
    expect(info!.framesProcessed).toBeGreaterThan(400);
  });

  it('names the people in the order of walkby.csv, pairs in either order', () => {
    const got = names(recognizedSubs[0]!.items);
    expect(got).toHaveLength(7);
    expect(got.slice(0, 3)).toEqual(['obama', 'kit_harington', 'alex_lacamoire']);
    expect(got.slice(3, 5).sort()).toEqual(['biden', 'obama']);
    expect(got.slice(5, 7).sort()).toEqual(['kit_harington', 'rose_leslie']);
  });

  it('never names someone who is not in view', () => {
    const inView = (name: string, ms: number): boolean =>
      [ms - TOLERANCE_MS, ms, ms + TOLERANCE_MS].some((at) => peopleAt(segments, at).includes(name));
    for (const item of recognizedSubs[0]!.items) {
      const e = item.recognized;
      expect(inView(nameOf.get(e.employeeId)!, e.mediaTimeMs!), `${nameOf.get(e.employeeId)} at ${e.mediaTimeMs} ms`).toBe(true);
    }
    // Per frame too: a face shown as recognized is someone in view.
    let named = 0;
    for (const { recognitionFrames: f } of frames.items) {
      for (const face of f.faces) {
        if (face.status === 'recognized') {
          named += 1;
          const name = nameOf.get(face.employee!.id)!;
          expect(inView(name, f.mediaTimeMs!), `frame ${f.frameNumber}: ${name} at ${f.mediaTimeMs} ms`).toBe(true);
        }
      }
    }
    expect(named).toBeGreaterThan(50);
  });

  it('ten graphql-ws subscribers and SSE get the same events, despite two readers that never read', () => {
    const reference = recognizedSubs[0]!.items.map((i) => i.recognized);
    for (const sub of [...recognizedSubs, sse]) {
      expect(sub.errors).toEqual([]);
      expect(sub.items.map((i) => i.recognized)).toEqual(reference);
    }
    expect(reference[0]).toMatchObject({ cameraId, employee: { fullName: 'Obama' }, method: expect.stringMatching(/^(svm|cosine)$/) as unknown });
  });

  it('writes one attendance log per person (obama twice in view, within the dedupe window)', async () => {
    await waitFor('attendance writes', async () => {
      const res = await t.rest<{ recognized: { attendance: string }[] }>('GET', `/api/v1/recognition/recognized?camera_id=${cameraId}`);
      return res.body.recognized.length === 7 && res.body.recognized.every((r) => r.attendance !== 'pending');
    }, 20_000);
    const logs = await t.db.prisma.attendanceLog.findMany({ where: { cameraId } });
    expect(logs.map((l) => nameOf.get(l.employeeId)).sort()).toEqual(['alex_lacamoire', 'biden', 'kit_harington', 'obama', 'rose_leslie']);
    const recent = await t.rest<{ recognized: { employee_name: string; employee_code: string; attendance: string }[] }>(
      'GET',
      `/api/v1/recognition/recognized?limit=3`,
    );
    expect(recent.body.recognized).toHaveLength(3);
    expect(recent.body.recognized[0]).toMatchObject({ employee_code: expect.stringMatching(/^FACE-/) as unknown });
    expect(recent.body.recognized.map((r) => r.attendance).filter((a) => a === 'duplicate').length).toBeGreaterThanOrEqual(1);
  });

  it('the old WebSocket sends frames and decisions in the old shape', () => {
    const messages: LegacyMessage[] = legacy.items;
    expect(messages[0]).toMatchObject({ type: 'connected', camera_id: cameraId });
    const frameMessages = messages.filter((m) => m.type === 'frame');
    expect(frameMessages.length).toBeGreaterThan(100);
    const withFace = frameMessages.find((m) => (m.faces as unknown[]).length > 0)!;
    expect(withFace).toMatchObject({ camera_id: cameraId, frame_number: expect.any(Number) as unknown, timestamp: expect.any(String) as unknown });
    expect((withFace.faces as Record<string, unknown>[])[0]).toEqual(
      expect.objectContaining({
        employee_name: expect.any(String) as unknown,
        confidence_score: expect.any(Number) as unknown,
        bbox: [expect.any(Number) as unknown, expect.any(Number) as unknown, expect.any(Number) as unknown, expect.any(Number) as unknown],
        track_id: expect.any(Number) as unknown,
      }),
    );
    expect(frameMessages.some((m) => (m.faces as { employee_name: string }[]).some((f) => f.employee_name === 'Kit Harington'))).toBe(true);
    const decisions = messages.filter((m) => m.type === 'recognized');
    expect(decisions.map((d) => d.employee_name)).toEqual(recognizedSubs[0]!.items.map((i) => i.recognized.employee?.fullName));
    expect(decisions[0]).toMatchObject({ employee_code: expect.stringMatching(/^FACE-/) as unknown, recognition_method: expect.any(String) as unknown });
  });
});
