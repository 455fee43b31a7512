// Camera previews cost nothing while nobody watches, come at a modest rate
// while someone does, and arrive as JPEGs with the colours right (the camera
// hands BGR; a red frame must stay red).
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FramePreviews, type PreviewFrame } from '../../src/cameras/frame-previews.js';
import { cameraId } from '../../src/domain/ids.js';

const CAM = cameraId(7);

function bgrFrame(width: number, height: number, [b, g, r]: [number, number, number]): { data: Uint8Array; rows: number; cols: number; capturedAt: number } {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = b;
    data[i + 1] = g;
    data[i + 2] = r;
  }
  return { data, rows: height, cols: width, capturedAt: Date.now() };
}

const nextFrame = (previews: FramePreviews): Promise<PreviewFrame> =>
  new Promise((resolve) => {
    const stop = previews.watch(CAM, (f) => {
      stop();
      resolve(f);
    });
  });

describe('FramePreviews', () => {
  it('encodes nothing while nobody watches', async () => {
    const previews = new FramePreviews({ fps: 100 });
    for (let i = 0; i < 20; i++) {
      previews.offer(CAM, bgrFrame(64, 48, [0, 0, 255]));
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(previews.encodedCount).toBe(0);
  });

  it('sends a watcher JPEGs in RGB, scaled down to maxWidth, and stops when it leaves', async () => {
    const previews = new FramePreviews({ fps: 100, maxWidth: 320 });
    const got = nextFrame(previews);
    previews.offer(CAM, bgrFrame(640, 480, [0, 0, 255]));
    const frame = await got;
    expect(frame).toMatchObject({ width: 320, height: 240, sourceWidth: 640, sourceHeight: 480 });
    const { data } = await sharp(frame.jpeg).raw().toBuffer({ resolveWithObject: true });
    const [r = 0, g = 0, b = 0] = data;
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(40);
    expect(b).toBeLessThan(40);
    expect(previews.watchers(CAM)).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    const before = previews.encodedCount;
    previews.offer(CAM, bgrFrame(640, 480, [0, 0, 255]));
    await new Promise((r) => setTimeout(r, 50));
    expect(previews.encodedCount).toBe(before);
  });

  it('keeps to its frame rate however fast frames come', async () => {
    const previews = new FramePreviews({ fps: 5 });
    const received: PreviewFrame[] = [];
    const stop = previews.watch(CAM, (f) => received.push(f));
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      previews.offer(CAM, bgrFrame(64, 48, [10, 20, 30]));
      await new Promise((r) => setTimeout(r, 10));
    }
    stop();
    // 5 per second, with a frame at the start: 5 or 6 in one second.
    expect(received.length).toBeGreaterThanOrEqual(4);
    expect(received.length).toBeLessThanOrEqual(6);
  });
});
