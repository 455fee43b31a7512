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
let model: LivenessModel;

beforeAll(async () => {
  pipeline = await FacePipeline.create(pipelineConfig);
  model = await LivenessModel.create(join(FACEPLUGIN_DIR, 'fr_liveness.onnx'));
}, 60_000);
afterAll(async () => {
  await pipeline.close();
  await model.close();
});

async function facesOf(file: string): Promise<{ image: Raster; boxes: Box[]; scores: number[] }> {
  // Decoded as the server does (EXIF orientation applied: three samples are stored sideways).
  const image = await decodeImage(readFileSync(`${FACES_DIR}${file}`), 40_000_000);
  const faces = (await pipeline.analyzeRaster(image, { embed: false, liveness: true })).faces.filter((f) => f.score >= 0.9);
  return { image, boxes: faces.map((f) => f.box), scores: faces.map((f) => f.liveness!) };
}

/** The pipeline's own score (what the workers compute), checked against the model run directly. */
async function scoreOf(file: string): Promise<number> {
  const { image, boxes, scores } = await facesOf(file);
  expect(boxes, file).toHaveLength(1);
  expect(scores[0]).toBeCloseTo((await model.score(image, boxes))[0]!, 6);
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
