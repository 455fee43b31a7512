// Picks the frames an enrollment keeps: the best per pose sector, without
// near-identical copies, plus the mean template and a check that every kept
// frame shows the same person.
import type { FrameCandidate } from './coverage.js';
import { cosine, normalizedMean } from './embedding-math.js';
import { ALL_SECTORS, type PoseSector } from './pose-sectors.js';

export interface SelectionParams {
  /** Frames kept per sector. */
  maxPerSector: number;
  /** Frames kept in all; sectors take turns (centre first) so a cap keeps pose variety. */
  maxTotal: number;
  /** Two frames more similar than this are the same picture twice (a still user, a re-sent photo). */
  duplicateCosine: number;
  /**
   * Frames whose embeddings are at least this similar are linked; all kept
   * frames must form one linked group (single linkage, so a left profile and a
   * right profile may be linked through the frontal frames between them).
   */
  identityLinkCosine: number;
}

// 9 sectors x 2 = at most 18 frames; with AUGMENTATION_COUNT=5 that is 108 templates.
export const DEFAULT_SELECTION_PARAMS: SelectionParams = {
  maxPerSector: 2,
  maxTotal: 18,
  duplicateCosine: 0.97,
  identityLinkCosine: 0.35,
};

export type DropReason = 'no_embedding' | 'duplicate' | 'sector_full' | 'total_cap';

export interface DroppedFrame {
  frameNumber: number;
  reason: DropReason;
  /** For 'duplicate': the kept frame it duplicates. */
  duplicateOf?: number;
}

export interface Selection {
  /** Kept frames, best first within each sector, sectors in ring order (centre first). */
  frames: FrameCandidate[];
  dropped: DroppedFrame[];
}

type WithEmbedding = FrameCandidate & { embedding: Float32Array };

function duplicateOf(c: WithEmbedding, kept: readonly WithEmbedding[], threshold: number): WithEmbedding | undefined {
  return kept.find(
    (k) => k.frameNumber === c.frameNumber || k.timestamp === c.timestamp || cosine(k.embedding, c.embedding) > threshold,
  );
}

export function selectFrames(candidates: readonly FrameCandidate[], params: SelectionParams = DEFAULT_SELECTION_PARAMS): Selection {
  const dropped: DroppedFrame[] = [];
  const usable: WithEmbedding[] = [];
  for (const c of candidates) {
    if (c.embedding) {
      usable.push({ ...c, embedding: c.embedding });
    } else {
      dropped.push({ frameNumber: c.frameNumber, reason: 'no_embedding' });
    }
  }
  // Best first overall, so a duplicate pair always keeps its better frame.
  usable.sort((a, b) => b.qualityScore - a.qualityScore || a.frameNumber - b.frameNumber);
  const bySector = new Map<PoseSector, WithEmbedding[]>();
  const kept: WithEmbedding[] = [];
  for (const c of usable) {
    const list = bySector.get(c.sector) ?? [];
    const dup = duplicateOf(c, kept, params.duplicateCosine);
    if (dup) {
      dropped.push({ frameNumber: c.frameNumber, reason: 'duplicate', duplicateOf: dup.frameNumber });
    } else if (list.length >= params.maxPerSector) {
      dropped.push({ frameNumber: c.frameNumber, reason: 'sector_full' });
    } else {
      list.push(c);
      bySector.set(c.sector, list);
      kept.push(c);
    }
  }
  // Round-robin over sectors up to maxTotal: the i-th best of every sector before any (i+1)-th.
  const frames: FrameCandidate[] = [];
  const depth = Math.max(0, ...[...bySector.values()].map((l) => l.length));
  for (let i = 0; i < depth; i++) {
    for (const s of ALL_SECTORS) {
      const c = bySector.get(s)?.[i];
      if (c === undefined) {
        continue;
      }
      if (frames.length < params.maxTotal) {
        frames.push(c);
      } else {
        dropped.push({ frameNumber: c.frameNumber, reason: 'total_cap' });
      }
    }
  }
  const order = new Map(ALL_SECTORS.map((s, i) => [s, i]));
  frames.sort((a, b) => (order.get(a.sector) ?? 0) - (order.get(b.sector) ?? 0) || b.qualityScore - a.qualityScore);
  return { frames, dropped };
}

export type IdentityCheck =
  | { ok: true }
  | { ok: false; groups: number[][]; message: string };

/** All frames must be linked into one group by cosine >= linkCosine (single linkage). */
export function checkIdentityConsistency(frames: readonly FrameCandidate[], linkCosine: number): IdentityCheck {
  const withEmb = frames.filter((f): f is WithEmbedding => f.embedding !== undefined);
  const parent = withEmb.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) {
      r = parent[r] ?? r;
    }
    return r;
  };
  for (let i = 0; i < withEmb.length; i++) {
    for (let j = i + 1; j < withEmb.length; j++) {
      const a = withEmb[i];
      const b = withEmb[j];
      if (a && b && cosine(a.embedding, b.embedding) >= linkCosine) {
        parent[find(j)] = find(i);
      }
    }
  }
  const groups = new Map<number, number[]>();
  withEmb.forEach((f, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), f.frameNumber]);
  });
  if (groups.size <= 1) {
    return { ok: true };
  }
  const list = [...groups.values()].sort((a, b) => b.length - a.length);
  return {
    ok: false,
    groups: list,
    message: `The frames show ${list.length} different faces (frame groups: ${list.map((g) => `[${g.join(', ')}]`).join(' ')}); more than one person was enrolled in this session`,
  };
}

export type SelectionResult =
  | { ok: true; frames: FrameCandidate[]; meanEmbedding: Float32Array; dropped: DroppedFrame[] }
  | { ok: false; reason: 'no_frames'; message: string; dropped: DroppedFrame[] }
  | { ok: false; reason: 'inconsistent_identity'; message: string; groups: number[][]; dropped: DroppedFrame[] };

/** Identity check over all candidates + selectFrames + mean template (normalised mean of the kept embeddings). */
export function selectEnrollmentFrames(
  candidates: readonly FrameCandidate[],
  params: SelectionParams = DEFAULT_SELECTION_PARAMS,
): SelectionResult {
  const { frames, dropped } = selectFrames(candidates, params);
  const mean = normalizedMean(frames.flatMap((f) => (f.embedding ? [f.embedding] : [])));
  if (mean === undefined) {
    return { ok: false, reason: 'no_frames', message: 'No usable frames with an embedding to enroll', dropped };
  }
  // Checked on every candidate, not only the kept ones: a second person's frames
  // must refuse the session even when the cap would have dropped them.
  const identity = checkIdentityConsistency(candidates, params.identityLinkCosine);
  if (!identity.ok) {
    return { ok: false, reason: 'inconsistent_identity', message: identity.message, groups: identity.groups, dropped };
  }
  return { ok: true, frames, meanEmbedding: mean, dropped };
}
