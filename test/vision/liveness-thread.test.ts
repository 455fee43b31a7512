// The face worker's liveness thread (src/engine/liveness-thread.ts): it gives the
// scores the model gives in this thread, and refuses to start without a
// liveness model, with the reason. (That it runs beside the embedder shows in
// bench/face-engine.bench.ts: the face thread waits ~1 ms for a ~2.5 ms model.)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LivenessThread } from '../../src/engine/liveness-thread.js';
import { decodeImage } from '../../src/vision/image-decode.js';
import { LivenessModel } from '../../src/vision/liveness-model.js';
import type { Raster } from '../../src/vision/raster.js';
import type { Box } from '../../src/vision/types.js';
import { FACES_DIR } from '../helpers/shared-faces.js';
import { FACEPLUGIN_DIR } from './helpers/faces.js';

let thread: LivenessThread;
let model: LivenessModel;
let image: Raster;
const boxes: Box[] = [
  [127, 107, 294, 348], // the face of antispoof/live-1.jpg (detector box)
  [40, 60, 200, 260],
];

beforeAll(async () => {
  thread = await LivenessThread.start(FACEPLUGIN_DIR);
  model = await LivenessModel.fromPack(FACEPLUGIN_DIR);
  image = await decodeImage(readFileSync(`${FACES_DIR}antispoof/live-1.jpg`), 40_000_000);
}, 60_000);
afterAll(async () => {
  await thread?.close();
  await model?.close();
});

describe('LivenessThread', () => {
  it('scores faces as the model does in this thread', async () => {
    const [onThread, here] = [await thread.score(image, boxes), await model.score(image, boxes)];
    expect(onThread).toHaveLength(2);
    onThread.forEach((s, i) => expect(s).toBeCloseTo(here[i]!, 6));
    expect(onThread[0]).toBeGreaterThan(0.5);
  });

  it('refuses to start on a pack without a liveness model, saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fa-no-liveness-'));
    const manifest = JSON.parse(readFileSync(join(FACEPLUGIN_DIR, 'manifest.json'), 'utf8')) as { models: Record<string, unknown> };
    delete manifest.models.liveness;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(LivenessThread.start(dir)).rejects.toThrow(/names no liveness model/);
  }, 60_000);
});
