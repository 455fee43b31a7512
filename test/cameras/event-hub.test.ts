import { describe, expect, it } from 'vitest';
import type { FrameEvent, RecognizedEvent } from '../../src/cameras/camera-events.js';
import { CameraEventHub } from '../../src/cameras/event-hub.js';
import { cameraId, employeeId, type CameraId } from '../../src/domain/ids.js';

const frame = (cam: CameraId, n: number): FrameEvent => ({
  cameraId: cam,
  frameNumber: n,
  timestamp: n * 40,
  mediaTimeMs: null,
  width: 640,
  height: 480,
  faces: [],
  latencyMs: 10,
});
const recognized = (cam: CameraId, trackId: number): RecognizedEvent => ({
  cameraId: cam,
  trackId,
  employeeId: employeeId(trackId),
  confidence: 0.9,
  method: 'cosine',
  at: 0,
  firstSeenAt: 0,
  frameNumber: 1,
  mediaTimeMs: null,
  box: [0, 0, 1, 1],
});

async function take<T>(it: AsyncIterator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += 1) {
    const r = await it.next();
    if (r.done === true) {
      break;
    }
    out.push(r.value);
  }
  return out;
}

describe('CameraEventHub', () => {
  it('gives ten concurrent subscribers the same events while one that never reads stalls nobody', async () => {
    const hub = new CameraEventHub();
    const cam = cameraId(1);
    const readers = Array.from({ length: 10 }, () => hub.recognized(cam));
    const stuck = hub.recognized(cam, { buffer: 5 }); // never read
    const got = readers.map((r) => take(r, 100));
    for (let i = 1; i <= 100; i += 1) {
      hub.publishRecognized(recognized(cam, i));
      if (i % 10 === 0) {
        await new Promise((r) => setImmediate(r)); // readers run between bursts
      }
    }
    const results = await Promise.all(got);
    for (const r of results) {
      expect(r.map((e) => e.trackId)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
    // The stuck subscriber holds only its last 5 events; the rest were dropped, for it alone.
    expect(stuck.dropped).toBe(95);
    expect((await take(stuck, 5)).map((e) => e.trackId)).toEqual([96, 97, 98, 99, 100]);
    expect(readers.every((r) => r.dropped === 0)).toBe(true);
  });

  it('keeps only the newest frames for a slow frame subscriber, and filters by camera', async () => {
    const hub = new CameraEventHub();
    const slow = hub.frames(cameraId(1));
    const other = hub.frames(cameraId(2));
    for (let n = 1; n <= 50; n += 1) {
      hub.publishFrame(frame(cameraId(1), n));
    }
    hub.publishFrame(frame(cameraId(2), 7));
    expect((await take(slow, 2)).map((f) => f.frameNumber)).toEqual([49, 50]);
    expect(slow.dropped).toBe(48);
    expect((await take(other, 1)).map((f) => [f.cameraId, f.frameNumber])).toEqual([[2, 7]]);
  });

  it('recognized() without a camera hears every camera', async () => {
    const hub = new CameraEventHub();
    const all = hub.recognized();
    hub.publishRecognized(recognized(cameraId(1), 1));
    hub.publishRecognized(recognized(cameraId(2), 2));
    expect((await take(all, 2)).map((e) => e.cameraId)).toEqual([1, 2]);
  });

  it('unsubscribes on return(), close() and abort, ending a pending read', async () => {
    const hub = new CameraEventHub();
    const a = hub.frames(cameraId(1));
    const b = hub.recognized();
    const controller = new AbortController();
    const c = hub.recognized(undefined, { signal: controller.signal });
    expect(hub.subscriberCount()).toEqual({ frames: 1, recognized: 2 });
    const pending = a.next();
    await a.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    b.close();
    controller.abort();
    expect(await c.next()).toEqual({ value: undefined, done: true });
    expect(hub.subscriberCount()).toEqual({ frames: 0, recognized: 0 });
    // for await works and ends when closed.
    const d = hub.recognized();
    setTimeout(() => {
      hub.publishRecognized(recognized(cameraId(3), 3));
      hub.closeAll();
    }, 5);
    const seen: number[] = [];
    for await (const e of d) {
      seen.push(e.trackId);
    }
    expect(seen).toEqual([3]);
  });
});
