// The face engine end to end through the worker pool: bytes in, faces with
// embeddings out; failures reach callers as domain errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolFaceEngine } from '../../src/engine/pool-face-engine.js';
import { InvalidImageError } from '../../src/engine/engine-errors.js';
import sharp from 'sharp';
import { cosine } from '../../src/vision/pixels.js';
import { pipelineConfig, readFace } from '../vision/helpers/faces.js';

let engine: PoolFaceEngine;
beforeAll(async () => {
  engine = await PoolFaceEngine.create({ pipeline: pipelineConfig, workers: 2, queueLimit: 16, taskTimeoutMs: 20_000 });
}, 60_000);
afterAll(() => engine?.close());

describe('PoolFaceEngine', () => {
  it('reports the pack it serves', () => {
    expect(engine.modelId).toBe('faceplugin-fr-0.0.1');
    expect(engine.embeddingSize).toBe(512);
  });

  it('analyses encoded images in parallel and recognises the same person', async () => {
    const files = ['people/obama/obama-1.jpg', 'probes/obama-small.jpg', 'people/biden/biden-1.jpg', 'probes/rose-kit.jpg'];
    const [o1, o2, b1, rk] = await Promise.all(files.map((f) => engine.analyze(readFace(f))));
    expect([o1, o2, b1, rk].map((r) => r!.faces.length)).toEqual([1, 1, 1, 2]);
    const e = (r: typeof o1) => r!.faces[0]!.embedding!;
    expect(e(o1)).toBeInstanceOf(Float32Array);
    expect(cosine(e(o1), e(o2))).toBeGreaterThan(0.59);
    expect(cosine(e(o1), e(b1))).toBeLessThan(0.3);
    expect(rk!.timings.detect).toBeGreaterThan(0);
  });

  it('analyses raw frames and embeds aligned crops', async () => {
    const { data, info } = await sharp(readFace('probes/obama-biden-1.jpg')).raw().toBuffer({ resolveWithObject: true });
    for (let j = 0; j < data.length; j += 3) {[data[j], data[j + 2]] = [data[j + 2]!, data[j]!];} // RGB -> BGR
    const r = await engine.analyzeRaw(
      { data: new Uint8Array(data), rows: info.height, cols: info.width },
      { alignedCrops: true, maxFaces: 2 },
    );
    expect(r.faces).toHaveLength(2);
    const again = await engine.embedAligned(r.faces.map((f) => f.alignedJpeg!));
    expect(cosine(again[0]!, r.faces[0]!.embedding!)).toBeGreaterThan(0.99);
    expect(await engine.embedAligned([])).toEqual([]);
  });

  it('rejects bad images with the domain InvalidImageError (400) and keeps serving', async () => {
    await expect(engine.analyze(new Uint8Array(0))).rejects.toBeInstanceOf(InvalidImageError);
    await expect(engine.analyze(new TextEncoder().encode('not an image'))).rejects.toMatchObject({
      code: 'INVALID_IMAGE',
      status: 400,
    });
    const r = await engine.analyze(readFace('probes/kit-snow.jpg'));
    expect(r.faces).toHaveLength(1);
    const s = engine.stats();
    expect(s.workers).toBe(2);
    expect(s.tasksFailed).toBeGreaterThanOrEqual(2);
    expect(s.workerRestarts).toBe(0);
    expect(s.tasksCompleted).toBeGreaterThan(5);
  });

  it('honours an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(engine.analyze(readFace('probes/kit-snow.jpg'), { signal: ac.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
