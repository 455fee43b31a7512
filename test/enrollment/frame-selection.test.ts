import { describe, expect, it } from 'vitest';
import { employeeId } from '../../src/domain/ids.js';
import { planPhotoEnrollment } from '../../src/enrollment/completion.js';
import type { FrameCandidate } from '../../src/enrollment/coverage.js';
import {
  checkDuplicateIdentity,
  decideDuplicate,
  defaultDuplicateThreshold,
  duplicateMessage,
} from '../../src/enrollment/duplicate-identity.js';
import { cosine, l2normalize } from '../../src/enrollment/embedding-math.js';
import {
  DEFAULT_SELECTION_PARAMS,
  checkIdentityConsistency,
  selectEnrollmentFrames,
  selectFrames,
} from '../../src/enrollment/frame-selection.js';
import type { PoseSector } from '../../src/enrollment/pose-sectors.js';
import { evaluatePhoto } from '../../src/enrollment/photo-verdict.js';
import { analysis, face, frameEmbedding, personVector } from './fixtures.js';

const alice = personVector(101);
const bob = personVector(202);

function cand(frameNumber: number, sector: PoseSector, qualityScore: number, embedding?: Float32Array): FrameCandidate {
  return {
    frameNumber,
    timestamp: frameNumber * 40,
    sector,
    pose: { yaw: 0, pitch: 0, roll: 0 },
    qualityScore,
    faceSize: 200,
    ...(embedding === undefined ? {} : { embedding }),
  };
}

describe('selectFrames', () => {
  it('keeps the best frames per sector, capped', () => {
    const cs = [0.3, 0.9, 0.5, 0.7].map((q, i) => cand(i, 'centre', q, frameEmbedding(alice, i)));
    const { frames, dropped } = selectFrames([...cs, cand(10, 'left', 0.4, frameEmbedding(alice, 10))]);
    expect(frames.map((f) => f.frameNumber)).toEqual([1, 3, 10]);
    expect(dropped).toEqual(
      expect.arrayContaining([
        { frameNumber: 0, reason: 'sector_full' },
        { frameNumber: 2, reason: 'sector_full' },
      ]),
    );
  });

  it('drops near-identical frames (cosine > 0.97, same timestamp or frame number) and keeps the better one', () => {
    const e = frameEmbedding(alice, 1);
    const almost = l2normalize(e.map((v, i) => v + (i % 2 === 0 ? 1e-3 : -1e-3)));
    expect(cosine(e, almost)).toBeGreaterThan(0.97);
    const sameTime = { ...cand(3, 'left', 0.6, frameEmbedding(alice, 3)), timestamp: 80 };
    const { frames, dropped } = selectFrames([cand(1, 'centre', 0.5, e), cand(2, 'centre', 0.8, almost), sameTime], {
      ...DEFAULT_SELECTION_PARAMS,
      maxPerSector: 5,
    });
    expect(frames.map((f) => f.frameNumber)).toEqual([2]);
    expect(dropped).toEqual([
      { frameNumber: 3, reason: 'duplicate', duplicateOf: 2 },
      { frameNumber: 1, reason: 'duplicate', duplicateOf: 2 },
    ]);
  });

  it('a total cap keeps pose variety (sectors take turns)', () => {
    const sectors: PoseSector[] = ['centre', 'left', 'right', 'up'];
    const cs = sectors.flatMap((s, si) => [0.9, 0.8].map((q, k) => cand(si * 10 + k, s, q - si * 0.1, frameEmbedding(alice, si * 10 + k))));
    const { frames } = selectFrames(cs, { ...DEFAULT_SELECTION_PARAMS, maxTotal: 5 });
    expect(frames.map((f) => f.sector)).toEqual(['centre', 'centre', 'left', 'up', 'right']);
  });

  it('frames without an embedding cannot become templates', () => {
    const r = selectEnrollmentFrames([cand(1, 'centre', 0.9)]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('no_frames');
  });
});

describe('mean template and identity consistency', () => {
  it('the mean template is the normalised mean of the kept embeddings', () => {
    const cs = (['centre', 'left', 'right', 'up'] as const).map((s, i) => cand(i, s, 0.8, frameEmbedding(alice, i)));
    const r = selectEnrollmentFrames(cs);
    expect(r.ok).toBe(true);
    if (!r.ok) {
      return;
    }
    let norm = 0;
    for (const v of r.meanEmbedding) {
      norm += v * v;
    }
    expect(norm).toBeCloseTo(1, 5);
    // Closer to the person than any single frame is.
    const single = cosine(cs[0]!.embedding!, alice);
    expect(cosine(r.meanEmbedding, alice)).toBeGreaterThan(single);
  });

  it('a session where a different person stepped in is refused', () => {
    const cs = [
      ...[0, 1, 2].map((i) => cand(i, 'centre', 0.8, frameEmbedding(alice, i))),
      ...[3, 4].map((i) => cand(i, 'left', 0.9, frameEmbedding(bob, i))),
    ];
    const r = selectEnrollmentFrames(cs);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('inconsistent_identity');
    expect(!r.ok && r.reason === 'inconsistent_identity' && r.groups).toEqual([[0, 1, 2], [3, 4]]);
    expect(!r.ok && r.message).toMatch(/more than one person/);
  });

  it('the intruder is caught even when the per-sector cap would have dropped its frames', () => {
    const cs = [
      ...[0, 1].map((i) => cand(i, 'centre', 0.9, frameEmbedding(alice, i))),
      cand(2, 'centre', 0.1, frameEmbedding(bob, 2)),
    ];
    expect(selectEnrollmentFrames(cs).ok).toBe(false);
  });

  it('profiles linked through frontal frames are one person (single linkage)', () => {
    // a·c is below the link threshold, but a·b and b·c are above it.
    const a = frameEmbedding(alice, 1, 1.2);
    const c = l2normalize(a.map((v, i) => (i < 300 ? -v : v)));
    const b = l2normalize(a.map((v, i) => v + (c[i] ?? 0)));
    expect(cosine(a, c)).toBeLessThan(0.35);
    expect(cosine(a, b)).toBeGreaterThan(0.35);
    expect(checkIdentityConsistency([cand(1, 'left', 1, a), cand(2, 'centre', 1, b), cand(3, 'right', 1, c)], 0.35)).toEqual({ ok: true });
    expect(checkIdentityConsistency([cand(1, 'left', 1, a), cand(3, 'right', 1, c)], 0.35).ok).toBe(false);
  });
});

describe('duplicate identity', () => {
  const matches = [
    { employeeId: employeeId(1), similarity: 0.2 },
    { employeeId: employeeId(2), similarity: 0.72 },
    { employeeId: employeeId(3), similarity: 0.4 },
  ];

  it('finds the employee the face already belongs to', () => {
    const d = decideDuplicate(matches, { threshold: defaultDuplicateThreshold(0.45) });
    expect(d).toEqual({ kind: 'duplicate', employeeId: 2, similarity: 0.72 });
    expect(d.kind === 'duplicate' && duplicateMessage(d)).toBe('This face is already enrolled as employee 2 (similarity 0.72)');
  });

  it('is unique below the threshold, for an empty gallery, and when re-enrolling the same employee', () => {
    expect(defaultDuplicateThreshold(0.45)).toBeCloseTo(0.5);
    expect(decideDuplicate(matches, { threshold: 0.75 })).toEqual({ kind: 'unique', bestSimilarity: 0.72 });
    expect(decideDuplicate([], { threshold: 0.5 })).toEqual({ kind: 'unique', bestSimilarity: undefined });
    expect(decideDuplicate(matches, { threshold: 0.5, excludeEmployeeId: employeeId(2) })).toEqual({ kind: 'unique', bestSimilarity: 0.4 });
  });

  it('asks the gallery with the mean embedding', async () => {
    const mean = frameEmbedding(alice, 9);
    const gallery = [
      { id: employeeId(5), template: frameEmbedding(alice, 10) },
      { id: employeeId(6), template: frameEmbedding(bob, 11) },
    ];
    const lookup = (e: Float32Array) => Promise.resolve(gallery.map((g) => ({ employeeId: g.id, similarity: cosine(e, g.template) })));
    const d = await checkDuplicateIdentity(mean, lookup, { threshold: 0.5 });
    expect(d.kind).toBe('duplicate');
    expect(d.kind === 'duplicate' && d.employeeId).toBe(5);
  });
});

describe('enrollment from still photos', () => {
  it('gives each bad photo its own reason and refuses the set', () => {
    const verdicts = [
      evaluatePhoto({ kind: 'analysis', analysis: analysis([face({ embedding: frameEmbedding(alice, 1) })]) }, 0),
      evaluatePhoto({ kind: 'invalid_image' }, 1),
      evaluatePhoto({ kind: 'analysis', analysis: analysis([]) }, 2),
      evaluatePhoto({ kind: 'analysis', analysis: analysis([face({ cx: 150, size: 120 }), face({ cx: 320 , size: 130 }), face({ cx: 500, size: 110 })]) }, 3),
      evaluatePhoto({ kind: 'analysis', analysis: analysis([face({ size: 40, embedding: frameEmbedding(alice, 4) })]) }, 4),
      evaluatePhoto({ kind: 'analysis', analysis: analysis([face({ yaw: 25 })]) }, 5),
    ];
    expect(verdicts.map((v) => (v.ok ? 'ok' : v.reason))).toEqual(['ok', 'invalid_image', 'no_face', 'multiple_faces', 'low_quality', 'no_embedding']);
    const plan = planPhotoEnrollment(verdicts);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.message).toBe(
      'Photo 2: not a readable JPEG/PNG image; Photo 3: no face found; Photo 4: 3 faces found, exactly one is needed; Photo 5: the face is too small; Photo 6: the face could not be embedded',
    );
  });

  it('needs no pose coverage, keeps every photo, and drops the same photo sent twice', () => {
    const e = frameEmbedding(alice, 1);
    const photos = [e, frameEmbedding(alice, 2), frameEmbedding(alice, 3), e].map((emb, i) =>
      evaluatePhoto({ kind: 'analysis', analysis: analysis([face({ embedding: emb, qualityScore: 0.8 - i * 0.01 })]) }, i),
    );
    const plan = planPhotoEnrollment(photos);
    expect(plan.ok).toBe(true);
    expect(plan.ok && plan.frames.map((f) => f.frameNumber)).toEqual([0, 1, 2]);
    expect(plan.ok && plan.dropped).toEqual([{ frameNumber: 3, reason: 'duplicate', duplicateOf: 0 }]);
  });
});
