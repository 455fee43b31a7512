// The InsightFace path on stand-in models built here with the real tensor
// names and shapes: SCRFD decoding end to end through ONNX Runtime, top-left
// letterbox mapping, and the ArcFace pre-processing (RGB, (v-127.5)/127.5).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelPackId } from '../../src/domain/ids.js';
import { findPackFiles, InsightFaceBackend } from '../../src/vision/insightface-backend.js';
import { FacePipeline } from '../../src/engine/face-pipeline.js';
import { encodeJpeg } from '../../src/vision/image-decode.js';
import { makeRaster, type Raster } from '../../src/vision/raster.js';

/** A uniform BGR raster (like cv.Mat(rows, cols, CV_8UC3, [b, g, r])). */
function solid(height: number, width: number, bgr: [number, number, number]): Raster {
  const r = makeRaster(width, height, 'bgr');
  for (let i = 0; i < r.data.length; i += 3) {r.data.set(bgr, i);}
  return r;
}
import { buildArcFace, buildScrfd, type ScrfdFace } from './helpers/build-onnx.js';

const SIZE = 640;
// One face at stride 16, cell (col 20, row 15) anchor 1: centre (320, 240).
const face: ScrfdFace = {
  stride: 16,
  col: 20,
  row: 15,
  anchor: 1,
  score: 0.92,
  distances: [4, 5, 4, 6], // box 256..384 x 160..336
  keypoints: [
    [-1.5, -1.5],
    [1.5, -1.5],
    [0, 0.5],
    [-1.2, 2.5],
    [1.2, 2.5],
  ],
};
// A weaker, overlapping duplicate at stride 8 (NMS must drop it) and one below threshold.
const duplicate: ScrfdFace = { ...face, stride: 8, col: 40, row: 30, anchor: 0, score: 0.8, distances: [8, 10, 8, 12], keypoints: face.keypoints.map(([x, y]) => [2 * x, 2 * y]) };
const weak: ScrfdFace = { ...face, stride: 32, col: 2, row: 2, score: 0.3 };

// 3 x 4 weights: embedding = [R, G, B, 0] channel means.
const weights = new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function backend(names: 'named' | 'numeric', threshold = 0.5) {
  return InsightFaceBackend.fromFiles(
    buildScrfd(SIZE, [face, duplicate, weak], names),
    buildArcFace(weights, 4),
    { intraOpThreads: 1, detectionThreshold: threshold },
    modelPackId('test-pack'),
  );
}

describe('InsightFace backend on stand-in models', () => {
  it.each(['named', 'numeric'] as const)('decodes SCRFD outputs (%s output names) to one face', async (names) => {
    const b = await backend(names);
    // 1280x960 -> scale 0.5 into 640x640, top-left: input (x, y) = image (2x, 2y).
    const image = solid(960, 1280, [90, 90, 90]);
    const faces = await b.detect(image, {});
    expect(faces).toHaveLength(1);
    const f = faces[0]!;
    expect(f.score).toBeCloseTo(0.92, 5);
    expect(f.box.map((v) => Math.round(v))).toEqual([512, 320, 768, 672]);
    expect(f.points[0][0]).toBeCloseTo(2 * (320 - 24), 3);
    expect(f.points[0][1]).toBeCloseTo(2 * (240 - 24), 3);
    expect(f.points[4][1]).toBeCloseTo(2 * (240 + 40), 3);
    await b.close();
  });

  it('applies the detection threshold', async () => {
    const b = await backend('named', 0.95);
    expect(await b.detect(solid(480, 640, [0, 0, 0]), {})).toHaveLength(0);
    await b.close();
  });

  it('feeds the recognizer RGB (v-127.5)/127.5 and L2-normalises', async () => {
    const b = await backend('named');
    expect(b.embeddingSize).toBe(4);
    // BGR (255, 127.5-ish, 0): R = 0 -> -1, G = 128 -> ~0, B = 255 -> +1.
    const crop = solid(112, 112, [255, 128, 0]);
    const [e] = await b.embed([crop]);
    const r = (0 - 127.5) / 127.5;
    const g = (128 - 127.5) / 127.5;
    const bl = (255 - 127.5) / 127.5;
    const n = Math.hypot(r, g, bl);
    const expectClose = (got: Float32Array, want: number[]): void => {
      expect(got).toHaveLength(want.length);
      want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    };
    expectClose(e!, [r / n, g / n, bl / n, 0]);
    // Batched run gives the same rows.
    const both = await b.embed([crop, solid(112, 112, [0, 0, 255])]);
    expectClose(both[0]!, Array.from(e!));
    // Pure red (BGR 0,0,255): R = +1, G = B = -1, R first.
    const k = 1 / Math.sqrt(3);
    expectClose(both[1]!, [k, -k, -k, 0]);
    await b.close();
  });

  it('runs through FacePipeline: alignment, quality and embedding on the detected face', async () => {
    const p = FacePipeline.fromBackend(await backend('numeric'), 40_000_000);
    const bytes = await encodeJpeg(solid(960, 1280, [60, 120, 180]));
    const r = await p.analyzeImage(bytes, { alignedCrops: true });
    expect(r.modelId).toBe('test-pack');
    expect(r.faces).toHaveLength(1);
    expect(r.faces[0]!.embedding).toHaveLength(4);
    expect(r.faces[0]!.alignedJpeg!.length).toBeGreaterThan(100);
    expect(r.faces[0]!.quality.faceSize).toBeGreaterThan(300);
    await p.close();
  });

  it('finds the detector and recognizer files of a pack folder by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'buffalo_l-'));
    dirs.push(dir);
    for (const f of ['1k3d68.onnx', '2d106det.onnx', 'det_10g.onnx', 'genderage.onnx', 'w600k_r50.onnx']) {
      writeFileSync(join(dir, f), '');
    }
    expect(findPackFiles(dir)).toEqual({ detector: join(dir, 'det_10g.onnx'), recognizer: join(dir, 'w600k_r50.onnx') });
    const ante = mkdtempSync(join(tmpdir(), 'antelopev2-'));
    dirs.push(ante);
    for (const f of ['scrfd_10g_bnkps.onnx', 'glintr100.onnx', 'genderage.onnx']) {
      writeFileSync(join(ante, f), '');
    }
    expect(findPackFiles(ante).recognizer).toBe(join(ante, 'glintr100.onnx'));
    expect(() => findPackFiles(join(dir, 'missing'))).toThrow(/not found/);
  });
});
