// fr_liveness.onnx on real photos, with the real detector: the four labelled
// minivision samples (../shared/faces/antispoof, README there) and the shared
// press photos. Four samples give no rate: this checks the preprocessing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/vision/image-decode.js';
import { LivenessModel } from '../../src/vision/liveness-model.js';
import { FacePipeline } from '../../src/engine/face-pipeline.js';
import type { Raster } from '../../src/vision/raster.js';
import type { Box } from '../../src/vision/types.js';
import { FACES_DIR } from '../helpers/shared-faces.js';
import { FACEPLUGIN_DIR, labelledPhotos, pipelineConfig } from './helpers/faces.js';

const THRESHOLD = 0.05; // LIVENESS_THRESHOLD's default

let pipeline: FacePipeline;
/** The file as shipped; the pipeline runs the derived one (fr_liveness.patched.onnx, onnx-conv-rewrites.ts). */
let model: LivenessModel;
let patched: LivenessModel;

beforeAll(async () => {
  pipeline = await FacePipeline.create(pipelineConfig);
  model = await LivenessModel.create(join(FACEPLUGIN_DIR, 'fr_liveness.onnx'));
  patched = await LivenessModel.fromPack(FACEPLUGIN_DIR);
}, 60_000);
afterAll(async () => {
  await pipeline.close();
  await model.close();
  await patched.close();
});

async function facesOf(file: string): Promise<{ image: Raster; boxes: Box[]; scores: number[] }> {
  // Decoded as the server does (EXIF orientation applied: three samples are stored sideways).
  const image = await decodeImage(readFileSync(`${FACES_DIR}${file}`), 40_000_000);
  const faces = (await pipeline.analyzeRaster(image, { embed: false, liveness: true })).faces.filter((f) => f.score >= 0.9);
  return { image, boxes: faces.map((f) => f.box), scores: faces.map((f) => f.liveness!) };
}

/**
 * The pipeline's own score (what the workers compute, with the rewritten model), checked against
 * the shipped model run directly: the rewrite changes float rounding only (measured |diff| <= 3e-7).
 */
async function scoreOf(file: string): Promise<number> {
  const { image, boxes, scores } = await facesOf(file);
  expect(boxes, file).toHaveLength(1);
  const shipped = (await model.score(image, boxes))[0]!;
  expect(Math.abs(scores[0]! - shipped), file).toBeLessThan(1e-5);
  expect(Math.abs(scores[0]! - shipped) / shipped, file).toBeLessThan(1e-4);
  return scores[0]!;
}

describe('antispoof samples', () => {
  it('scores the live webcam sample live and both attacks (print, tablet) below the threshold', async () => {
    expect(await scoreOf('antispoof/live-1.jpg')).toBeGreaterThan(0.5); // 0.72 measured
    expect(await scoreOf('antispoof/spoof-print.jpg')).toBeLessThan(0.001); // 4e-5
    expect(await scoreOf('antispoof/spoof-tablet.jpg')).toBeLessThan(THRESHOLD); // 0.031
  });

  it('gives the second live sample (a back-lit phone photo) a borderline score, as measured', async () => {
    // 0.031 here: a false reject at 0.05. The README of the samples reports 0.24 from another
    // implementation; this photo's score swings between 0.01 and 0.54 when the face box moves by
    // 5% (measured), so no single-frame threshold separates it from the tablet replay (0.031).
    // Live cameras and the kiosk challenge take the median over several frames for that reason.
    const s = await scoreOf('antispoof/live-2.jpg');
    expect(s).toBeGreaterThan(0.005);
    expect(s).toBeLessThan(0.5);
  });

  it('loses the live sample when fed RGB instead of BGR (the channel order matters on real data)', async () => {
    const { image, boxes } = await facesOf('antispoof/live-1.jpg');
    const swapped: Raster = { ...image, order: image.order === 'rgb' ? 'bgr' : 'rgb' };
    expect((await model.score(image, boxes))[0]).toBeGreaterThan(0.5);
    expect((await model.score(swapped, boxes))[0]).toBeLessThan(THRESHOLD); // 0.036 measured
  });
});

describe('the derived model (depthwise channels padded, PRelu as two convs)', () => {
  it('scores like the shipped model on crops all over the shared photos, not only on faces', async () => {
    // The four samples are compared in scoreOf; here 24 crops at pseudo-random places and sizes.
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let worst = 0;
    for (const p of labelledPhotos().slice(0, 6)) {
      const image = await decodeImage(readFileSync(`${FACES_DIR}${p.file}`), 40_000_000);
      for (let k = 0; k < 4; k++) {
        const h = 20 + rand() * (image.height / 3);
        const x = rand() * (image.width - h);
        const y = rand() * (image.height - h);
        const box: Box = [x, y, x + h * 0.8, y + h];
        const [a, b] = [(await model.score(image, [box]))[0]!, (await patched.score(image, [box]))[0]!];
        worst = Math.max(worst, Math.abs(a - b));
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('press and portrait photos', () => {
  it('score every face in ../shared/faces live (people and probes)', async () => {
    for (const p of labelledPhotos()) {
      const { scores } = await facesOf(p.file);
      for (const s of scores) {
        expect(s, p.file).toBeGreaterThan(THRESHOLD); // lowest measured: 0.34 (a small face in a group photo)
      }
    }
  });
});
