// Enrollment from still photos on the shared face set through the real engine:
// per-photo verdicts, selection, mean template and the duplicate-identity rule.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employeeId, type EmployeeId } from '../../src/domain/ids.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import { planPhotoEnrollment } from '../../src/enrollment/completion.js';
import { checkDuplicateIdentity, defaultDuplicateThreshold } from '../../src/enrollment/duplicate-identity.js';
import { cosine } from '../../src/enrollment/embedding-math.js';
import { evaluatePhoto, type PhotoVerdict } from '../../src/enrollment/photo-verdict.js';
import { startTestEngine } from '../helpers/test-engine.js';
import { FACES_DIR as FACES } from '../helpers/shared-faces.js';

let engine: FaceEngine;

async function verdict(path: string, index: number): Promise<PhotoVerdict> {
  const bytes = readFileSync(resolve(FACES, path));
  return evaluatePhoto({ kind: 'analysis', analysis: await engine.analyze(bytes, { alignedCrops: true }) }, index);
}

async function verdicts(paths: string[]): Promise<PhotoVerdict[]> {
  return Promise.all(paths.map((p, i) => verdict(p, i)));
}

beforeAll(async () => {
  engine = await startTestEngine({ workers: 2 });
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

const PEOPLE: Record<string, string[]> = {
  obama: ['people/obama/obama-1.jpg', 'people/obama/obama-2.jpg', 'people/obama/obama-3.jpg'],
  biden: ['people/biden/biden-1.jpg', 'people/biden/biden-2.jpg'],
  kit_harington: ['people/kit_harington/kit-1.jpg', 'people/kit_harington/kit-2.jpg'],
  rose_leslie: ['people/rose_leslie/rose-1.jpg', 'people/rose_leslie/rose-2.jpg'],
  alex_lacamoire: ['people/alex_lacamoire/alex-1.jpg'],
};

describe('photo enrollment on real photos', () => {
  it('accepts every gallery photo and gives the bad ones their reason', async () => {
    const all = Object.values(PEOPLE).flat();
    const good = await verdicts(all);
    expect(good.filter((v) => !v.ok).map((v) => !v.ok && `${all[v.index]}: ${v.message}`)).toEqual([]);
    const bad = await verdicts(['probes/obama-biden-1.jpg', 'probes/rose-kit.jpg']);
    expect(bad.map((v) => (v.ok ? 'ok' : v.reason))).toEqual(['multiple_faces', 'multiple_faces']);
    // Cut at the border through an ear and a cheek, but eyes, nose and mouth inside: a whole face
    // for a photo (ID badges are cropped that tight). Cut through the eyes, it is refused.
    expect((await verdict('probes/obama-partial-1.jpg', 0)).ok).toBe(true);
    const big = readFileSync(resolve(FACES, 'probes/obama-portrait-1080p.jpg'));
    const face = (await engine.analyze(big, { embed: false })).faces[0]!;
    const eyeX = (face.landmarks[0][0] + face.landmarks[1][0]) / 2;
    const meta = await sharp(big).metadata();
    const throughTheEyes = await sharp(big)
      .extract({ left: Math.round(eyeX), top: 0, width: meta.width - Math.round(eyeX), height: meta.height })
      .jpeg()
      .toBuffer();
    const halved = evaluatePhoto({ kind: 'analysis', analysis: await engine.analyze(throughTheEyes, { alignedCrops: true }) }, 0);
    expect(halved.ok).toBe(false);
    expect(!halved.ok && halved.message).toMatch(/no face found|cut off/);
  }, 60_000);

  it('enrolls each person, refuses the same face under another employee, lets new people through', async () => {
    const gallery = new Map<EmployeeId, Float32Array>();
    const threshold = defaultDuplicateThreshold(0.45);
    const lookup = (e: Float32Array) => [...gallery].map(([id, t]) => ({ employeeId: id, similarity: cosine(e, t) }));
    let next = 1;
    const similarities: string[] = [];
    for (const [name, paths] of Object.entries(PEOPLE)) {
      const plan = planPhotoEnrollment(await verdicts(paths));
      expect(plan.ok, name).toBe(true);
      if (!plan.ok) {
        continue;
      }
      expect(plan.frames).toHaveLength(paths.length);
      const d = await checkDuplicateIdentity(plan.meanEmbedding, lookup, { threshold });
      expect(d.kind, name).toBe('unique');
      similarities.push(`${name}: best other ${d.kind === 'unique' ? (d.bestSimilarity?.toFixed(2) ?? '-') : ''}`);
      gallery.set(employeeId(next++), plan.meanEmbedding);
    }
    // Obama again, from other photos, as a "new" employee: a duplicate of employee 1.
    const again = planPhotoEnrollment(await verdicts(['probes/obama-portrait-1080p.jpg', 'probes/obama-press.jpg']));
    expect(again.ok).toBe(true);
    if (again.ok) {
      const d = await checkDuplicateIdentity(again.meanEmbedding, lookup, { threshold });
      expect(d).toMatchObject({ kind: 'duplicate', employeeId: 1 });
      similarities.push(`obama again: ${d.kind === 'duplicate' ? d.similarity.toFixed(2) : 'unique'}`);
      // Re-enrolling employee 1 itself is allowed.
      expect((await checkDuplicateIdentity(again.meanEmbedding, lookup, { threshold, excludeEmployeeId: employeeId(1) })).kind).toBe('unique');
    }
    console.log(similarities.join('; '));
  }, 60_000);

  it('refuses a photo set that mixes two people', async () => {
    const plan = planPhotoEnrollment(await verdicts(['people/obama/obama-1.jpg', 'people/obama/obama-2.jpg', 'people/biden/biden-1.jpg']));
    expect(plan).toMatchObject({ ok: false, reason: 'inconsistent_identity', groups: [[0, 1], [2]] });
  }, 60_000);
});
