// Multi-face tracker for one camera: IoU matching against each track's
// constant-velocity prediction, with a centroid fallback for fast movers, and
// an appearance check that splits a track when the face in it changes (a cut
// from one person to another at the same spot). One odd embedding (blur, a
// bad crop) only makes the track "suspect" and asks for another look on the
// next frame; the split needs two in a row that agree with each other.
//
// When to embed (the expensive step, ~13 ms a face): the engine detects on every
// processed frame and embeds only when some track needs it (new, not yet
// settled by voting, jumped, or every `refreshEvery` frames). The engine's
// `embed` switch is per frame, not per face, so a frame that needs one
// embedding embeds all its faces: with one or two faces in view that costs
// little, and a per-face switch would need a second engine call anyway.
import type { Box } from '../vision/types.js';
import { cosine } from '../vision/pixels.js';
import { boxSize, centreDistance, iou } from './box-geometry.js';

export type TrackId = number;

export interface TrackerOptions {
  /** Least IoU between a track's predicted box and a detection to match them. */
  iouThreshold: number;
  /** Fallback match when IoU is too low: centre distance below this many box sizes (and a similar size). */
  centroidFactor: number;
  /** Processed frames a track may go undetected before it is lost. */
  maxMisses: number;
  /** IoU between a track's previous and new box below which the face may have changed: re-embed. */
  jumpIou: number;
  /** Settled tracks are re-embedded every this many matched frames (catches identity switches). */
  refreshEvery: number;
  /** Cosine between a track's last embedding and a new one below which it is another person: split. */
  appearanceThreshold: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  iouThreshold: 0.3,
  centroidFactor: 0.6,
  maxMisses: 5,
  jumpIou: 0.5,
  refreshEvery: 4,
  appearanceThreshold: 0.3,
};

export interface Track {
  readonly id: TrackId;
  box: Box;
  /** Pixels per processed frame, smoothed. */
  velocity: readonly [number, number];
  firstSeenAt: number;
  lastSeenAt: number;
  hits: number;
  misses: number;
  /** Matched frames since the last embedding. */
  framesSinceEmbed: number;
  /** The last match landed further from the prediction than jumpIou allows. */
  jumped: boolean;
  lastEmbedding: Float32Array | undefined;
  /** An embedding that did not look like the track's, waiting for a second look. */
  suspect: { embedding: Float32Array; at: number } | undefined;
}

export interface TrackMatch {
  trackId: TrackId;
  isNew: boolean;
}

export interface TrackerUpdate {
  /** One per detection, in the order given. */
  matches: TrackMatch[];
  /** Tracks that were dropped after maxMisses frames unseen. */
  lost: Track[];
}

export type EmbeddingCheck =
  /** Looks like the track's face (a pending suspicion was a bad frame: drop it). */
  | { kind: 'same'; discardedSuspect: boolean }
  /** Does not look like the track's face: hold this frame's vote until the next look. */
  | { kind: 'suspect' }
  /** Two looks in a row at someone else: the old track ended, a new one holds this face (and the held vote). */
  | { kind: 'split'; ended: Track; trackId: TrackId };

export class FaceTracker {
  readonly options: TrackerOptions;
  readonly #tracks = new Map<TrackId, Track>();
  #nextId = 1;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  }

  get(id: TrackId): Track | undefined {
    return this.#tracks.get(id);
  }

  tracks(): Track[] {
    return [...this.#tracks.values()];
  }

  update(boxes: readonly Box[], at: number): TrackerUpdate {
    const tracks = [...this.#tracks.values()];
    const predicted = tracks.map((t) => predict(t));
    const candidates: { t: number; d: number; score: number }[] = [];
    for (let t = 0; t < tracks.length; t += 1) {
      for (let d = 0; d < boxes.length; d += 1) {
        const score = this.#affinity(predicted[t]!, boxes[d]!);
        if (score > 0) {
          candidates.push({ t, d, score });
        }
      }
    }
    // Greedy by affinity: with a handful of faces it equals the optimal assignment in practice.
    candidates.sort((a, b) => b.score - a.score);
    const trackTaken = new Set<number>();
    const matches: (TrackMatch | undefined)[] = boxes.map(() => undefined);
    for (const c of candidates) {
      if (trackTaken.has(c.t) || matches[c.d] !== undefined) {
        continue;
      }
      trackTaken.add(c.t);
      const track = tracks[c.t]!;
      const box = boxes[c.d]!;
      this.#observe(track, predicted[c.t]!, box, at);
      matches[c.d] = { trackId: track.id, isNew: false };
    }
    const lost: Track[] = [];
    tracks.forEach((track, t) => {
      if (!trackTaken.has(t)) {
        track.misses += 1;
        if (track.misses > this.options.maxMisses) {
          this.#tracks.delete(track.id);
          lost.push(track);
        }
      }
    });
    const result = matches.map((m, d) => m ?? { trackId: this.#create(boxes[d]!, at).id, isNew: true });
    return { matches: result, lost };
  }

  /** Whether a track's face should be embedded on this frame. `settled`: voting has decided it. */
  needsEmbedding(id: TrackId, settled: boolean): boolean {
    const track = this.#tracks.get(id);
    if (track === undefined) {
      return false;
    }
    return (
      track.lastEmbedding === undefined ||
      track.suspect !== undefined ||
      !settled ||
      track.jumped ||
      track.framesSinceEmbed >= this.options.refreshEvery
    );
  }

  /** Plan for the next frame: will any visible track want an embedding (jumps aside)? */
  anyNeedsEmbeddingNext(isSettled: (id: TrackId) => boolean): boolean {
    for (const track of this.#tracks.values()) {
      if (track.misses > 0) {
        continue;
      }
      if (
        track.lastEmbedding === undefined ||
        track.suspect !== undefined ||
        !isSettled(track.id) ||
        track.framesSinceEmbed + 1 >= this.options.refreshEvery
      ) {
        return true;
      }
    }
    return false;
  }

  /** Records a fresh embedding and checks that the track still holds the same face. */
  recordEmbedding(id: TrackId, embedding: Float32Array, at: number): EmbeddingCheck {
    const track = this.#tracks.get(id);
    if (track === undefined) {
      return { kind: 'same', discardedSuspect: false };
    }
    const threshold = this.options.appearanceThreshold;
    const reference = track.lastEmbedding;
    if (reference === undefined || cosine(reference, embedding) >= threshold) {
      const discardedSuspect = track.suspect !== undefined;
      track.lastEmbedding = embedding;
      track.suspect = undefined;
      track.framesSinceEmbed = 0;
      track.jumped = false;
      return { kind: 'same', discardedSuspect };
    }
    const suspect = track.suspect;
    if (suspect === undefined || cosine(suspect.embedding, embedding) < threshold) {
      // First odd look, or two odd looks that disagree with each other too: look again.
      track.suspect = { embedding, at };
      return { kind: 'suspect' };
    }
    this.#tracks.delete(id);
    const fresh = this.#create(track.box, suspect.at);
    fresh.lastSeenAt = track.lastSeenAt;
    fresh.hits = 2;
    fresh.lastEmbedding = embedding;
    return { kind: 'split', ended: track, trackId: fresh.id };
  }

  clear(): Track[] {
    const all = [...this.#tracks.values()];
    this.#tracks.clear();
    return all;
  }

  #affinity(predicted: Box, box: Box): number {
    const overlap = iou(predicted, box);
    if (overlap >= this.options.iouThreshold) {
      return 1 + overlap; // IoU matches always rank above centroid ones
    }
    const size = boxSize(predicted);
    const ratio = boxSize(box) / Math.max(1, size);
    const limit = this.options.centroidFactor * size;
    const distance = centreDistance(predicted, box);
    if (ratio > 0.5 && ratio < 2 && distance < limit) {
      return 1 - distance / limit; // in (0, 1]
    }
    return 0;
  }

  #observe(track: Track, predicted: Box, box: Box, at: number): void {
    const frames = track.misses + 1;
    const vx = ((box[0] + box[2]) / 2 - (track.box[0] + track.box[2]) / 2) / frames;
    const vy = ((box[1] + box[3]) / 2 - (track.box[1] + track.box[3]) / 2) / frames;
    track.velocity = [0.5 * track.velocity[0] + 0.5 * vx, 0.5 * track.velocity[1] + 0.5 * vy];
    track.jumped = iou(predicted, box) < this.options.jumpIou;
    track.box = box;
    track.lastSeenAt = at;
    track.hits += 1;
    track.misses = 0;
    track.framesSinceEmbed += 1;
  }

  #create(box: Box, at: number): Track {
    const track: Track = {
      id: this.#nextId,
      box,
      velocity: [0, 0],
      firstSeenAt: at,
      lastSeenAt: at,
      hits: 1,
      misses: 0,
      framesSinceEmbed: 0,
      jumped: false,
      lastEmbedding: undefined,
      suspect: undefined,
    };
    this.#nextId += 1;
    this.#tracks.set(track.id, track);
    return track;
  }
}

/** Where the track's box should be now: moved by its velocity for every frame since it was seen. */
function predict(track: Track): Box {
  const steps = track.misses + 1;
  const dx = track.velocity[0] * steps;
  const dy = track.velocity[1] * steps;
  const b = track.box;
  return [b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy];
}
