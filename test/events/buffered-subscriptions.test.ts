// The live topics through the app's pub/sub (in memory here) with the
// per-subscriber drop-oldest buffers of src/events/buffered-subscriptions.ts.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { FrameEvent, RecognizedEvent } from '../../src/cameras/events.js';
import { cameraId, employeeId, type CameraId } from '../../src/domain/ids.js';
import { createBufferedSubscriptions } from '../../src/events/buffered-subscriptions.js';
import { createEventBus } from '../../src/events/event-bus.js';
import { createLiveEvents } from '../../src/live/live-events.js';

function setup() {
  const bus = createEventBus({ log: pino({ level: 'silent' }) });
  const subscriptions = createBufferedSubscriptions(bus.pubsub);
  const live = createLiveEvents(subscriptions);
  return {
    live,
    subscriptions,
    publishFrame: (e: FrameEvent) => bus.pubsub.publish('recognitionFrames', e),
    publishRecognized: (e: RecognizedEvent) => bus.pubsub.publish('recognized', e),
  };
}

/** Lets the pumps move what was published into the subscribers' buffers. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

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

describe('live topics over the pub/sub, buffered per subscriber', () => {
  it('gives ten concurrent subscribers the same events while one that never reads stalls nobody', async () => {
    const bus = setup();
    const cam = cameraId(1);
    const readers = Array.from({ length: 10 }, () => bus.live.recognized(cam));
    const stuck = bus.live.recognized(cam, { buffer: 5 }); // never read
    const got = readers.map((r) => take(r, 100));
    for (let i = 1; i <= 100; i += 1) {
      bus.publishRecognized(recognized(cam, i));
      if (i % 10 === 0) {
        await new Promise((r) => setImmediate(r)); // readers run between bursts
      }
    }
    await settle();
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
    const bus = setup();
    const slow = bus.live.frames(cameraId(1));
    const other = bus.live.frames(cameraId(2));
    for (let n = 1; n <= 50; n += 1) {
      bus.publishFrame(frame(cameraId(1), n));
    }
    bus.publishFrame(frame(cameraId(2), 7));
    await settle();
    expect((await take(slow, 2)).map((f) => f.frameNumber)).toEqual([49, 50]);
    expect(slow.dropped).toBe(48);
    expect((await take(other, 1)).map((f) => [f.cameraId, f.frameNumber])).toEqual([[2, 7]]);
  });

  it('recognized() without a camera hears every camera', async () => {
    const bus = setup();
    const all = bus.live.recognized();
    bus.publishRecognized(recognized(cameraId(1), 1));
    bus.publishRecognized(recognized(cameraId(2), 2));
    await settle();
    expect((await take(all, 2)).map((e) => e.cameraId)).toEqual([1, 2]);
  });

  it('unsubscribes on return(), close() and abort, ending a pending read', async () => {
    const bus = setup();
    const a = bus.live.frames(cameraId(1));
    const b = bus.live.recognized();
    const controller = new AbortController();
    const c = bus.live.recognized(undefined, { signal: controller.signal });
    expect(bus.live.subscriberCount()).toEqual({ frames: 1, recognized: 2 });
    const pending = a.next();
    await a.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    b.close();
    controller.abort();
    expect(await c.next()).toEqual({ value: undefined, done: true });
    expect(bus.live.subscriberCount()).toEqual({ frames: 0, recognized: 0 });
    // for await works and ends when closed.
    const d = bus.live.recognized();
    setTimeout(() => {
      bus.publishRecognized(recognized(cameraId(3), 3));
      // The reader takes it before the shutdown ends every subscription.
      setTimeout(() => bus.subscriptions.closeAll(), 5);
    }, 5);
    const seen: number[] = [];
    for await (const e of d) {
      seen.push(e.trackId);
    }
    expect(seen).toEqual([3]);
  });
});

describe('live topics across instances', () => {
  const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

  it('a decision published on one Redis-backed bus reaches a buffered subscriber of another', async () => {
    const log = pino({ level: 'silent' });
    const a = createEventBus({ redisUrl: REDIS_URL, log });
    const b = createEventBus({ redisUrl: REDIS_URL, log });
    try {
      const live = createLiveEvents(createBufferedSubscriptions(b.pubsub));
      const camera = cameraId(Math.floor(Math.random() * 1e6) + 1);
      const sub = live.recognized(camera);
      const frames = live.frames(camera);
      // The Redis SUBSCRIBE is asynchronous: publish until the first event arrives.
      const first = sub.next();
      let got: IteratorResult<RecognizedEvent> | undefined;
      for (let i = 0; i < 50 && got === undefined; i += 1) {
        a.pubsub.publish('recognized', recognized(camera, 5));
        a.pubsub.publish('recognized', recognized(cameraId(camera + 1), 6)); // another camera: filtered out
        got = await Promise.race([first, new Promise<undefined>((r) => setTimeout(r, 100))]);
      }
      expect(got?.value).toMatchObject({ cameraId: camera, trackId: 5, employeeId: 5 });
      a.pubsub.publish('recognitionFrames', frame(camera, 9));
      expect((await frames.next()).value).toMatchObject({ cameraId: camera, frameNumber: 9 });
      sub.close();
      frames.close();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
