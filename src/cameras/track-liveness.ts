// Passive liveness per live-camera track: the P(live) of each of its analysed
// frames, judged by their median (one frame's score swings with the face box;
// a track's median does not). A track names someone only once `minFrames`
// scores say live: before that its "recognized" votes abstain
// ('liveness_pending'); a track judged a spoof votes unknown ('spoof') and is
// reported once as a presentation attack.
import type { CameraId } from '../domain/ids.js';
import { median } from '../math/median.js';
import type { CameraAttackEvent } from './events.js';
import type { FaceDecision } from './face-decision.js';
import type { FaceVote } from './track-identities.js';
import type { TrackId } from './tracker.js';

export interface TrackLivenessOptions {
  /** LIVENESS_THRESHOLD: a median P(live) below it is a spoof. */
  threshold: number;
  /** Scores kept per track (the most recent). */
  window: number;
  /** Scores needed before a spoof is reported. */
  minFrames: number;
}

/** The abstaining vote of a recognized face whose track has too few liveness scores yet. */
export const LIVENESS_PENDING = 'liveness_pending';

export const DEFAULT_TRACK_LIVENESS: Omit<TrackLivenessOptions, 'threshold'> = { window: 15, minFrames: 3 };

export type TrackLivenessVerdict = { kind: 'unjudged' } | { kind: 'live' | 'spoof'; median: number; frames: number };

interface Entry {
  scores: number[];
  reported: boolean;
}

export class TrackLiveness {
  readonly #tracks = new Map<TrackId, Entry>();

  constructor(readonly options: TrackLivenessOptions) {}

  /** One analysed frame of the track (undefined: the engine did not score it). */
  record(trackId: TrackId, score: number | undefined): void {
    if (score === undefined || !Number.isFinite(score)) {
      return;
    }
    let entry = this.#tracks.get(trackId);
    if (!entry) {
      entry = { scores: [], reported: false };
      this.#tracks.set(trackId, entry);
    }
    entry.scores.push(score);
    if (entry.scores.length > this.options.window) {
      entry.scores.shift();
    }
  }

  verdict(trackId: TrackId): TrackLivenessVerdict {
    const scores = this.#tracks.get(trackId)?.scores ?? [];
    if (scores.length === 0) {
      return { kind: 'unjudged' };
    }
    const m = median(scores);
    return { kind: m >= this.options.threshold ? 'live' : 'spoof', median: m, frames: scores.length };
  }

  /** The decision the track's vote may use: a spoof's "recognized" becomes unknown, an unproven one abstains. */
  filter(trackId: TrackId, decision: FaceDecision): FaceDecision {
    if (decision.kind !== 'recognized') {
      return decision;
    }
    const v = this.verdict(trackId);
    if (v.kind === 'spoof' && v.frames >= this.options.minFrames) {
      return { kind: 'unknown', reason: 'spoof', confidence: decision.confidence };
    }
    if (v.kind !== 'live' || v.frames < this.options.minFrames) {
      return { kind: 'unknown', reason: LIVENESS_PENDING, confidence: decision.confidence };
    }
    return decision;
  }

  /** True exactly once per track: when it has `minFrames` scores and their median says spoof. */
  takeNewSpoof(trackId: TrackId): boolean {
    const entry = this.#tracks.get(trackId);
    const v = this.verdict(trackId);
    if (!entry || entry.reported || v.kind !== 'spoof' || v.frames < this.options.minFrames) {
      return false;
    }
    entry.reported = true;
    return true;
  }

  /**
   * One frame's votes: records each face's P(live) on its track, passes the votes through
   * filter(), and names the tracks newly judged spoofs (to report once each).
   */
  judgeVotes(votes: readonly FaceVote[], cameraId: CameraId, now: number): { votes: FaceVote[]; attacks: CameraAttackEvent[] } {
    const attacks: CameraAttackEvent[] = [];
    const filtered = votes.map((v) => {
      this.record(v.trackId, v.face.liveness);
      const verdict = this.verdict(v.trackId);
      if (verdict.kind === 'spoof' && this.takeNewSpoof(v.trackId)) {
        const d = v.decision;
        attacks.push({
          cameraId,
          trackId: v.trackId,
          at: now,
          livenessScore: verdict.median,
          frames: verdict.frames,
          resembled: d?.kind === 'recognized' ? { employeeId: d.employeeId, confidence: d.confidence } : null,
        });
      }
      return { ...v, decision: v.decision && this.filter(v.trackId, v.decision), held: v.held && this.filter(v.trackId, v.held) };
    });
    return { votes: filtered, attacks };
  }

  forget(trackId: TrackId): void {
    this.#tracks.delete(trackId);
  }

  clear(): void {
    this.#tracks.clear();
  }
}
