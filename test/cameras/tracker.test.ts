import { describe, expect, it } from 'vitest';
import { FaceTracker } from '../../src/cameras/tracker.js';
import type { Box } from '../../src/vision/types.js';

const box = (x: number, y: number, size = 80): Box => [x, y, x + size, y + size];

function unit(dim: number, hot: number, noise = 0): Float32Array {
  const v = new Float32Array(dim);
  v[hot] = 1;
  for (let i = 0; i < dim; i += 1) {
    v[i] = v[i]! + noise * Math.sin(i * 7.1 + hot);
  }
  return v;
}

describe('FaceTracker', () => {
  it('follows one moving face with one track id', () => {
    const tracker = new FaceTracker();
    const ids = new Set<number>();
    for (let f = 0; f < 40; f += 1) {
      const { matches, lost } = tracker.update([box(20 + f * 9, 100 + f * 2)], f * 40);
      expect(lost).toEqual([]);
      ids.add(matches[0]!.trackId);
    }
    expect(ids.size).toBe(1);
    expect(tracker.get([...ids][0]!)!.hits).toBe(40);
  });

  it('keeps two crossing faces apart, whatever order the detector lists them in', () => {
    const tracker = new FaceTracker();
    let idA: number | undefined;
    let idB: number | undefined;
    for (let f = 0; f < 40; f += 1) {
      const a = box(10 + f * 12, 100); // walks right
      const b = box(480 - f * 12, 130); // walks left, a little lower: they overlap mid-way
      const flipped = f % 2 === 1;
      const { matches } = tracker.update(flipped ? [b, a] : [a, b], f * 40);
      const [mA, mB] = flipped ? [matches[1]!, matches[0]!] : [matches[0]!, matches[1]!];
      idA ??= mA.trackId;
      idB ??= mB.trackId;
      expect(mA.trackId, `frame ${f}`).toBe(idA);
      expect(mB.trackId, `frame ${f}`).toBe(idB);
    }
    expect(idA).not.toBe(idB);
  });

  it('keeps crossing faces apart when the front one hides the other for a few frames', () => {
    const tracker = new FaceTracker();
    let idA: number | undefined;
    let idB: number | undefined;
    let hiddenFrames = 0;
    for (let f = 0; f < 40; f += 1) {
      const ax = 10 + f * 20;
      const bx = 790 - f * 20;
      const hidden = Math.abs(ax - bx) < 60; // B is behind A: the detector sees one face
      hiddenFrames += hidden ? 1 : 0;
      const { matches } = tracker.update(hidden ? [box(ax, 100)] : [box(ax, 100), box(bx, 110)], f * 40);
      idA ??= matches[0]!.trackId;
      expect(matches[0]!.trackId, `A at frame ${f}`).toBe(idA);
      if (!hidden) {
        idB ??= matches[1]!.trackId;
        expect(matches[1]!.trackId, `B at frame ${f}`).toBe(idB);
      }
    }
    expect(hiddenFrames).toBeGreaterThanOrEqual(2);
  });

  it('bridges a short gap by prediction and loses a track after maxMisses frames', () => {
    const tracker = new FaceTracker({ maxMisses: 3 });
    const first = tracker.update([box(100, 100)], 0).matches[0]!.trackId;
    tracker.update([box(110, 100)], 40);
    // Hidden for 3 frames (still moving): the same track picks it up where it should be.
    for (let f = 2; f < 5; f += 1) {
      expect(tracker.update([], f * 40).lost).toEqual([]);
    }
    expect(tracker.update([box(150, 100)], 200).matches[0]).toEqual({ trackId: first, isNew: false });
    // Gone for 4 frames: lost, and a face at the same spot later is a new track.
    let lostIds: number[] = [];
    for (let f = 6; f < 10; f += 1) {
      lostIds = lostIds.concat(tracker.update([], f * 40).lost.map((t) => t.id));
    }
    expect(lostIds).toEqual([first]);
    expect(tracker.tracks()).toEqual([]);
    const again = tracker.update([box(150, 100)], 400).matches[0]!;
    expect(again.isNew).toBe(true);
    expect(again.trackId).not.toBe(first);
  });

  it('matches a fast first step by centroid when boxes barely overlap', () => {
    const tracker = new FaceTracker();
    const id = tracker.update([box(100, 100)], 0).matches[0]!.trackId;
    // Moved 45 px with an 80 px face: IoU 0.28, below the IoU threshold.
    expect(tracker.update([box(145, 100)], 40).matches[0]).toEqual({ trackId: id, isNew: false });
    // Far away and of another size: a new face.
    expect(tracker.update([box(145, 100), box(400, 300, 30)], 80).matches[1]!.isNew).toBe(true);
  });

  it('asks for embeddings when new, unsettled, jumped or due for a refresh', () => {
    const tracker = new FaceTracker({ refreshEvery: 3 });
    const id = tracker.update([box(100, 100)], 0).matches[0]!.trackId;
    expect(tracker.needsEmbedding(id, true)).toBe(true); // never embedded
    expect(tracker.recordEmbedding(id, unit(8, 0), 0)).toEqual({ kind: 'same', discardedSuspect: false });
    expect(tracker.needsEmbedding(id, false)).toBe(true); // voting not decided yet
    expect(tracker.needsEmbedding(id, true)).toBe(false);
    tracker.update([box(102, 100)], 40);
    expect(tracker.needsEmbedding(id, true)).toBe(false);
    expect(tracker.anyNeedsEmbeddingNext(() => true)).toBe(false);
    tracker.update([box(104, 100)], 80);
    expect(tracker.anyNeedsEmbeddingNext(() => true)).toBe(true); // the next frame is the 3rd
    tracker.update([box(106, 100)], 120);
    expect(tracker.needsEmbedding(id, true)).toBe(true); // refresh due
    tracker.recordEmbedding(id, unit(8, 0, 0.05), 120);
    expect(tracker.needsEmbedding(id, true)).toBe(false);
    // A jump (far from where the track should be, but close enough to match) wants a look.
    tracker.update([box(150, 100)], 160);
    expect(tracker.needsEmbedding(id, true)).toBe(true);
  });

  it('splits a track when the face in it turns into someone else, on the second look', () => {
    const tracker = new FaceTracker();
    const id = tracker.update([box(100, 100)], 0).matches[0]!.trackId;
    tracker.recordEmbedding(id, unit(16, 1), 0);
    tracker.update([box(101, 100)], 40);
    expect(tracker.recordEmbedding(id, unit(16, 1, 0.1), 40)).toEqual({ kind: 'same', discardedSuspect: false });
    tracker.update([box(102, 100)], 80);
    // A cut to another person at the same spot: first a suspicion, and a wish for another look.
    expect(tracker.recordEmbedding(id, unit(16, 5), 80)).toEqual({ kind: 'suspect' });
    expect(tracker.needsEmbedding(id, true)).toBe(true);
    tracker.update([box(103, 100)], 120);
    const check = tracker.recordEmbedding(id, unit(16, 5, 0.1), 120);
    expect(check.kind).toBe('split');
    if (check.kind !== 'split') {
      return;
    }
    expect(check.ended.id).toBe(id);
    expect(check.trackId).not.toBe(id);
    expect(tracker.get(id)).toBeUndefined();
    expect(tracker.get(check.trackId)!.firstSeenAt).toBe(80); // the new face was first seen at the suspicious look
    expect(tracker.update([box(104, 100)], 160).matches[0]).toEqual({ trackId: check.trackId, isNew: false });
  });

  it('does not split on one odd frame', () => {
    const tracker = new FaceTracker();
    const id = tracker.update([box(100, 100)], 0).matches[0]!.trackId;
    tracker.recordEmbedding(id, unit(16, 1), 0);
    tracker.update([box(101, 100)], 40);
    expect(tracker.recordEmbedding(id, unit(16, 9), 40)).toEqual({ kind: 'suspect' }); // blur, a bad crop
    tracker.update([box(102, 100)], 80);
    expect(tracker.recordEmbedding(id, unit(16, 1, 0.05), 80)).toEqual({ kind: 'same', discardedSuspect: true });
    expect(tracker.get(id)).toBeDefined();
    // Two odd looks that disagree with each other are not a new person either.
    tracker.recordEmbedding(id, unit(16, 3), 120);
    expect(tracker.recordEmbedding(id, unit(16, 7), 160)).toEqual({ kind: 'suspect' });
    expect(tracker.get(id)).toBeDefined();
  });
});
