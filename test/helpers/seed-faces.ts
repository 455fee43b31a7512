// Seeds employees with face templates from the photos in ../shared/faces/people,
// through the real engine: one sample template per photo, AUGMENTATION_COUNT
// augmented variants per photo (augmentEncodedCrop + embedAligned, as
// enrollment does) and a mean template. The recognition models are refreshed,
// so the app recognizes the seeded people at once.
//
//   const people = await seedPeopleFromPhotos(t.app);                 // all five
//   const some = await seedPeopleFromPhotos(t.app, ['obama', 'biden']);
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../src/app.js';
import type { Employee } from '../../src/generated/prisma/client.js';
import { parseFaceLabels, type FaceLabel } from '../../src/cli/pairs.js';
import { augmentEncodedCrop } from '../../src/enrollment/decode-crop.js';
import { storeTemplates, type NewTemplate } from '../../src/recognition/template-repository.js';
import { FACES_DIR } from './shared-faces.js';

export const PEOPLE = ['alex_lacamoire', 'biden', 'kit_harington', 'obama', 'rose_leslie'] as const;
export type PersonName = (typeof PEOPLE)[number];

export interface SeededPerson {
  name: string;
  employee: Employee;
  /** Photos used, relative to FACES_DIR. */
  photos: string[];
  templateCount: number;
}

export interface SeedOptions {
  /** Augmented variants per photo; default the app's AUGMENTATION_COUNT. */
  augmentations?: number;
  /** Employee code prefix, default 'FACE-'. */
  codePrefix?: string;
}

/** `kit_harington` -> `Kit Harington`. */
export const displayName = (name: string): string =>
  name
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

export const readFacePhoto = (relative: string): Uint8Array => readFileSync(join(FACES_DIR, relative));

export function photosOf(name: string): string[] {
  return readdirSync(join(FACES_DIR, 'people', name))
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()
    .map((f) => `people/${name}/${f}`);
}

/** Every probe/people photo with its people, left to right (labels.csv). */
export function faceLabels(): FaceLabel[] {
  return parseFaceLabels(readFileSync(join(FACES_DIR, 'labels.csv'), 'utf8'));
}

export async function seedPeopleFromPhotos(
  app: App,
  names: readonly string[] = PEOPLE,
  options: SeedOptions = {},
): Promise<SeededPerson[]> {
  const engine = app.deps.faceEngine;
  if (!engine) {
    throw new Error('seedPeopleFromPhotos needs the app to run a face engine');
  }
  const augmentations = options.augmentations ?? app.deps.config.AUGMENTATION_COUNT;
  const out: SeededPerson[] = [];
  for (const name of names) {
    const employee = await app.services.employees.create(null, {
      employeeCode: `${options.codePrefix ?? 'FACE-'}${name}`,
      fullName: displayName(name),
      email: `${name}@example.com`,
      department: 'Faces',
    });
    const photos = photosOf(name);
    const templates: NewTemplate[] = [];
    const samples: Float32Array[] = [];
    for (const [p, photo] of photos.entries()) {
      const analysis = await engine.analyze(readFacePhoto(photo), { embed: true, alignedCrops: true });
      // Gallery photos hold one face; take the largest in case the detector finds a stray one.
      const face = [...analysis.faces].sort((a, b) => b.quality.faceSize - a.quality.faceSize)[0];
      if (!face?.embedding || !face.alignedJpeg) {
        throw new Error(`no usable face in ${photo}`);
      }
      samples.push(face.embedding);
      templates.push({ embedding: face.embedding, quality: face.quality.score, kind: 'sample', source: 'seed' });
      if (augmentations > 0) {
        const crops = await augmentEncodedCrop(face.alignedJpeg, augmentations, employee.id * 100 + p);
        const embeddings = await engine.embedAligned(crops);
        for (const e of embeddings) {
          templates.push({ embedding: e, quality: face.quality.score * 0.9, kind: 'augmented', source: 'seed' });
        }
      }
    }
    templates.push({ embedding: meanUnit(samples), quality: 1, kind: 'mean', source: 'seed' });
    await storeTemplates(app.deps.prisma, app.deps.templateCipher, employee.id, engine.modelId, templates);
    await app.services.recognitionModels.refreshEmployee(employee.id);
    out.push({ name, employee, photos, templateCount: templates.length });
  }
  return out;
}

function meanUnit(vectors: readonly Float32Array[]): Float32Array {
  const dim = vectors[0]!.length;
  const sum = new Float32Array(dim);
  for (const v of vectors) {
    for (let j = 0; j < dim; j++) {
      sum[j]! += v[j]!;
    }
  }
  const norm = Math.hypot(...sum) || 1;
  return sum.map((x) => x / norm);
}
