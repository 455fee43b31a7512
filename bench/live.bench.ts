// Live recognition through the whole server (buildApp, MariaDB, the real engine,
// graphql-ws delivery) on ../shared/faces/video/walkby.mp4 (640x480, 25 fps, 17 s),
// after enrolling the five people of ../shared/faces/people:
//  1. the file read as fast as possible (realtime: false): frames/s end to end;
//  2. the file as a 25 fps camera with PREDICT_INTERVAL=1: frames dropped, latency,
//     and, per person, how long from their first frame until a graphql-ws
//     subscriber holds their `recognized` event (target: 300 ms).
// Needs MariaDB on 127.0.0.1:3306 (a throw-away database is created) and the models.
//   npm run bench:live
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWalkby, WALKBY_MP4 } from '../test/cameras/walkby.js';
import {
  CameraInfoDocument,
  CreateCameraDocument,
  RecognitionFramesDocument,
  RecognizedDocument,
  StartCameraDocument,
  type CameraInfoFieldsFragment,
} from '../test/graphql/generated.js';
import { seedPeopleFromPhotos } from '../test/helpers/seed-faces.js';
import { startTestApp, type TestApp } from '../test/helpers/test-app.js';
import { graphqlWsCollector } from '../test/live/subscribers.js';

const OUT = fileURLToPath(new URL('./results/live.json', import.meta.url));
const segments = readWalkby().filter((s) => s.people.length > 0);
const round = (v: number): number => Math.round(v * 10) / 10;
const now = (): number => performance.timeOrigin + performance.now();

interface Received<T> {
  at: number;
  value: T;
}

async function waitUntil(ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) {
      throw new Error('timed out');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function run(t: TestApp, name: string, realtime: boolean) {
  const created = await t.gql(CreateCameraDocument, { input: { name, source: WALKBY_MP4, realtime, predictInterval: 1, enabled: false } });
  if (created.data?.createCamera.__typename !== 'Camera') {
    throw new Error(JSON.stringify(created));
  }
  const cameraId = created.data.createCamera.id;
  const live = t.app.live;
  const before = live.subscriberCount();
  const recognizedSub = graphqlWsCollector(t.url, t.adminKey, RecognizedDocument, { cameraId });
  const framesSub = graphqlWsCollector(t.url, t.adminKey, RecognitionFramesDocument, { cameraId });
  // Subscriptions are live once their buffers exist.
  await waitUntil(async () => {
    const n = live.subscriberCount();
    return n.recognized > before.recognized && n.frames > before.frames;
  }, 10_000);
  const started = now();
  await t.gql(StartCameraDocument, { id: cameraId });
  let info: CameraInfoFieldsFragment | undefined;
  await waitUntil(async () => {
    info = (await t.gql(CameraInfoDocument, { cameraId })).data?.cameraInfo[0];
    return info?.stoppedReason === 'ended';
  }, 120_000);
  await t.app.services.cameras.idle(cameraId);
  const seconds = (now() - started) / 1000;
  info = (await t.gql(CameraInfoDocument, { cameraId })).data?.cameraInfo[0];
  await new Promise((r) => setTimeout(r, 200));
  await Promise.all([recognizedSub.close(), framesSub.close()]);
  const stamped = <T>(c: { items: T[]; receivedAt: number[] }): Received<T>[] => c.items.map((value, i) => ({ at: c.receivedAt[i]!, value }));
  return { info: info!, recognized: stamped(recognizedSub), frames: stamped(framesSub), seconds };
}

const t = await startTestApp({ env: { CAMERA_MEDIA_DIRS: dirname(WALKBY_MP4) } });
const result: Record<string, unknown> = { machine: { cpus: cpus().length, loadavg: loadavg().map(round) } };
try {
  const people = await seedPeopleFromPhotos(t.app);
  const nameOf = new Map(people.map((p) => [p.employee.id, p.name]));

  const fast = await run(t, 'walkby-fast', false);
  result.asFastAsPossible = {
    framesProcessed: fast.info.framesProcessed,
    framesDropped: fast.info.framesDropped,
    seconds: round(fast.seconds),
    fps: round(fast.info.framesProcessed / fast.seconds),
    names: fast.recognized.map((r) => nameOf.get(r.value.recognized.employeeId)),
  };
  console.log(`as fast as possible: ${fast.info.framesProcessed} frames in ${round(fast.seconds)} s = ${round(fast.info.framesProcessed / fast.seconds)} frames/s, ${fast.info.framesDropped} dropped`);

  const live = await run(t, 'walkby-live', true);
  // In real-time play the frame at media time m was captured at t0 + m.
  const firstFrame = live.frames[0]?.value.recognitionFrames;
  const t0 = firstFrame ? Date.parse(firstFrame.timestamp) - (firstFrame.mediaTimeMs ?? 0) : 0;
  const perPerson = live.recognized.map(({ at, value: { recognized: r } }) => {
    const segment = segments.find((s) => r.mediaTimeMs! >= s.startMs && r.mediaTimeMs! < s.endMs);
    const startMs = segment?.startMs ?? 0;
    return {
      name: nameOf.get(r.employeeId),
      segmentStartS: startMs / 1000,
      /** Person's first frame captured -> event in the subscriber's hands. */
      firstFrameToSubscriberMs: round(at - (t0 + startMs)),
      /** The track's first frame -> the vote decided (inside the server). */
      trackToDecisionMs: round(Date.parse(r.at) - Date.parse(r.firstSeenAt)),
    };
  });
  result.realtime = {
    framesCaptured: live.info.framesCaptured,
    framesProcessed: live.info.framesProcessed,
    framesDropped: live.info.framesDropped,
    latencyMs: live.info.latencyMs,
    framesReceivedBySubscriber: live.frames.length,
    firstRecognized: perPerson,
    within300ms: perPerson.every((p) => p.firstFrameToSubscriberMs <= 300),
  };
  console.log(
    `real time (25 fps, PREDICT_INTERVAL=1): ${live.info.framesProcessed}/${live.info.framesCaptured} processed, ${live.info.framesDropped} dropped, ` +
      `latency p50 ${round(live.info.latencyMs.p50 ?? NaN)} ms p95 ${round(live.info.latencyMs.p95 ?? NaN)} ms; subscriber got ${live.frames.length} frames`,
  );
  for (const p of perPerson) {
    console.log(`  ${String(p.name).padEnd(16)} in view at ${p.segmentStartS} s: recognized event at the subscriber after ${p.firstFrameToSubscriberMs} ms (track -> decision ${p.trackToDecisionMs} ms)`);
  }
} finally {
  await t.stop();
}
result.loadavgAfter = loadavg().map(round);
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`machine: ${cpus().length} cpus, load average before ${(result.machine as { loadavg: number[] }).loadavg.join(' ')} (results in bench/results/live.json)`);
