// Augmented crops must stay recognisable to the real embedder: each variant of
// a person's aligned crop stays close to the original embedding and far from
// everyone else. Real photos, real faceplugin models, in-process pipeline.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentVariants } from '../../src/enrollment/augment.js';
import { cosine } from '../../src/enrollment/embedding-math.js';
import { cv } from '../../src/vision/opencv.js';
import { FacePipeline } from '../../src/vision/pipeline.js';

const FACES = resolve(process.cwd(), '../shared/faces');
const PHOTOS = {
  obama: 'people/obama/obama-1.jpg',
  biden: 'people/biden/biden-1.jpg',
  kit_harington: 'people/kit_harington/kit-1.jpg',
  rose_leslie: 'people/rose_leslie/rose-1.jpg',
  alex_lacamoire: 'people/alex_lacamoire/alex-1.jpg',
};

let pipeline: FacePipeline;
const originals = new Map<string, { jpeg: Uint8Array; embedding: Float32Array }>();

beforeAll(async () => {
  pipeline = await FacePipeline.create({
    pack: { kind: 'faceplugin', dir: resolve(process.cwd(), 'models/faceplugin') },
    intraOpThreads: 1,
    detectionThreshold: 0.7,
    maxImagePixels: 40_000_000,
  });
  for (const [name, path] of Object.entries(PHOTOS)) {
    const a = await pipeline.analyzeImage(readFileSync(resolve(FACES, path)), { alignedCrops: true });
    const face = a.faces[0];
    if (!face?.alignedJpeg || !face.embedding) {
      throw new Error(`${path}: no face`);
    }
    originals.set(name, { jpeg: face.alignedJpeg, embedding: face.embedding });
  }
}, 60_000);

afterAll(async () => {
  await pipeline?.close();
});

describe('augmented crops through the real embedder', () => {
  it('every variant keeps cosine > 0.7 to its original and stays far from other people', async () => {
    for (const [name, orig] of originals) {
      const variants = augmentVariants(cv, orig.jpeg, 10, 42);
      const embeddings = await pipeline.embedAligned(variants.map((v) => v.bytes));
      embeddings.forEach((e, i) => {
        const kinds = variants[i]!.kinds.join('+');
        const self = cosine(e, orig.embedding);
        expect(self, `${name} ${kinds}`).toBeGreaterThan(0.7);
        for (const [other, o] of originals) {
          if (other !== name) {
            expect(cosine(e, o.embedding), `${name} ${kinds} vs ${other}`).toBeLessThan(0.4);
          }
        }
      });
      expect(embeddings).toHaveLength(10);
    }
    expect(originals.size).toBe(5);
  }, 60_000);
});
