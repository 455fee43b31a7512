// The whole live pipeline with real parts: the walk-by video through the
// capture process, the face engine's worker pool (faceplugin models), the
// recognizer over a gallery enrolled from ../shared/faces/people, tracking and
// voting. Lossless file mode, so the result does not depend on machine load;
// bench/camera.bench.ts measures the real-time behaviour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameEvent, TrackDecided } from '../../src/cameras/events.js';
import { CameraRunner } from '../../src/cameras/camera-runner.js';
import { cameraId } from '../../src/domain/ids.js';
import { realParts, type RealParts } from './real-engine-fixture.js';
import { WALKBY_MP4, peopleAt, playToEnd, readWalkby } from './walkby.js';

const segments = readWalkby();
let parts: RealParts;
const frames: FrameEvent[] = [];
const recognized: TrackDecided[] = [];
let runner: CameraRunner;

beforeAll(async () => {
  parts = await realParts();
  runner = new CameraRunner({
    cameraId: cameraId(1),
    source: { kind: 'file', path: WALKBY_MP4, loop: false },
    realtime: false,
    engine: parts.engine,
    recognize: parts.recognize,
    onFrame: (e) => frames.push(e),
    onRecognized: (e) => recognized.push(e),
  });
  runner.start();
  await playToEnd(runner, { timeoutMs: 150_000, pollMs: 100 });
}, 200_000);

afterAll(async () => {
  await runner?.stop();
  await parts?.engine.close();
});

const name = (r: TrackDecided): string => parts.nameOf.get(r.employeeId)!;
const segmentOf = (ms: number) => segments.find((s) => ms >= s.startMs && ms < s.endMs)!;

describe('live pipeline with the real engine on the walk-by video', () => {
  it('names the people in the order of walkby.csv, each once per walk-by', () => {
    const bySegment = segments
      .filter((s) => s.people.length > 0)
      .map((s) =>
        recognized
          .filter((r) => segmentOf(r.mediaTimeMs!) === s)
          .map(name)
          .sort(),
      );
    expect(bySegment).toEqual([['obama'], ['kit_harington'], ['alex_lacamoire'], ['biden', 'obama'], ['kit_harington', 'rose_leslie']]);
  });

  it('never names anyone who is not in view, on an event or on a frame', () => {
    for (const r of recognized) {
      expect(peopleAt(segments, r.mediaTimeMs!)).toContain(name(r));
      expect(r.method).toBe('cosine');
      expect(r.confidence).toBeGreaterThan(0.5);
      expect(r.snapshotJpeg?.[0]).toBe(0xff); // a JPEG of the aligned face
    }
    for (const f of frames) {
      for (const face of f.faces) {
        if (face.employeeId !== null) {
          expect(peopleAt(segments, f.mediaTimeMs!), `frame ${f.frameNumber}`).toContain(parts.nameOf.get(face.employeeId));
        }
      }
    }
  });

  it('decides within 300 ms of video after a person appears', () => {
    for (const r of recognized) {
      expect(r.mediaTimeMs! - segmentOf(r.mediaTimeMs!).startMs).toBeLessThanOrEqual(300);
    }
  });

  it('tracks the faces on every frame and processes all of them', () => {
    const info = runner.info();
    expect(info).toMatchObject({ width: 640, height: 480, sourceFps: 25, framesDropped: 0, framesFailed: 0 });
    expect(info.framesProcessed).toBe(info.framesCaptured);
    expect(frames.length).toBeGreaterThanOrEqual(420);
    // In the middle of each walk-by the detector sees everyone in view, each with its own track.
    for (const s of segments.filter((x) => x.people.length > 0)) {
      const mid = frames.filter((f) => Math.abs(f.mediaTimeMs! - (s.startMs + s.endMs) / 2) < 400);
      for (const f of mid) {
        expect(f.faces.length, `${f.mediaTimeMs} ms`).toBeGreaterThanOrEqual(s.people.length);
        expect(new Set(f.faces.map((x) => x.trackId)).size).toBe(f.faces.length);
      }
    }
  });
});
