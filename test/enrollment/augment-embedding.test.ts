// Augmented crops must stay recognisable to the real embedder: each variant of
// a person's aligned crop stays close to the original embedding and far from
// everyone else. Real photos, real faceplugin models, through the FaceEngine
// interface (PoolFaceEngine), as the enrollment service will call it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import { augmentVariants } from '../../src/enrollment/augment.js';
import { decodeCrop } from '../../src/enrollment/decode-crop.js';
import { cosine } from '../../src/enrollment/embedding-math.js';
import { startTestEngine } from '../helpers/test-engine.js';
import { FACES_DIR as FACES } from '../helpers/shared-faces.js';

const PHOTOS = {
  obama: 'people/obama/obama-1.jpg',
  biden: 'people/biden/biden-1.jpg',
  kit_harington: 'people/kit_harington/kit-1.jpg',
  rose_leslie: 'people/rose_leslie/rose-1.jpg',
  alex_lacamoire: 'people/alex_lacamoire/alex-1.jpg',
};

let engine: FaceEngine;
const originals = new Map<string, { crop: Uint8Array; embedding: Float32Array }>();

beforeAll(async () => {
  engine = await startTestEngine({ workers: 1 });
  for (const [name, path] of Object.entries(PHOTOS)) {
    const a = await engine.analyze(readFileSync(resolve(FACES, path)), { alignedCrops: true });
    const face = a.faces[0];
    if (!face?.alignedJpeg || !face.embedding) {
      throw new Error(`${path}: no face`);
    }
    originals.set(name, { crop: await decodeCrop(face.alignedJpeg), embedding: face.embedding });
  }
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

describe('augmented crops through the real embedder', () => {
  it('the decoded crop itself embeds like the original face', async () => {
    const [e] = await engine.embedAligned([originals.get('obama')!.crop]);
    expect(cosine(e!, originals.get('obama')!.embedding)).toBeGreaterThan(0.95);
  });

  it('every variant keeps cosine > 0.7 to its original and stays far from other people', async () => {
    const lines: string[] = [];
    for (const [name, orig] of originals) {
      const variants = augmentVariants(orig.crop, 10, 42);
      const embeddings = await engine.embedAligned(variants.map((v) => v.bytes));
      expect(embeddings).toHaveLength(10);
      embeddings.forEach((e, i) => {
        const kinds = variants[i]!.kinds.join('+');
        expect(cosine(e, orig.embedding), `${name} ${kinds}`).toBeGreaterThan(0.7);
        for (const [other, o] of originals) {
          if (other !== name) {
            expect(cosine(e, o.embedding), `${name} ${kinds} vs ${other}`).toBeLessThan(0.4);
          }
        }
      });
      lines.push(`${name} ${embeddings.map((e) => cosine(e, orig.embedding).toFixed(2)).join(' ')}`);
    }
    console.log(`augmented cosine to original:\n${lines.join('\n')}`);
    expect(originals.size).toBe(5);
  }, 60_000);
});
