// Who each track of one camera is: the per-track vote (TrackVoting), the last
// decision (the confidence shown while a track is pending), votes held while a
// track is suspect, and the track's best aligned face for the attendance
// snapshot. The runner hands it one frame's decisions; it answers with the
// tracks that got decided on that frame.
import type { CameraId } from '../domain/ids.js';
import type { DetectedFace } from '../vision/types.js';
import type { FrameFace, TrackDecided } from './events.js';
import type { FaceDecision } from './face-decision.js';
import type { EmbeddingCheck, TrackId } from './tracker.js';
import { TrackVoting, type VotingOptions } from './voting.js';

/** One embedded face of a frame, with what the recognizer and the appearance check said. */
export interface FaceVote {
  trackId: TrackId;
  face: DetectedFace;
  decision: FaceDecision | undefined;
  check: EmbeddingCheck['kind'];
  /** The vote held by the track a split ended: it counts for the new track. */
  held: FaceDecision | undefined;
}

export interface FrameContext {
  frameNumber: number;
  capturedAt: number;
  mediaTimeMs: number | null;
}

export class TrackIdentities {
  readonly #voting: TrackVoting;
  readonly #crops = new Map<TrackId, { score: number; jpeg: Uint8Array }>();
  readonly #lastDecision = new Map<TrackId, FaceDecision>();
  /** Votes held while a track is suspect (its last embedding looked like someone else). */
  readonly #held = new Map<TrackId, FaceDecision>();

  constructor(
    private readonly cameraId: CameraId,
    voting: Partial<VotingOptions> | undefined,
  ) {
    this.#voting = new TrackVoting(voting);
  }

  isSettled(trackId: TrackId): boolean {
    return this.#voting.isSettled(trackId);
  }

  /** The vote a suspect track held, if any (read before forgetting a split track). */
  heldVote(trackId: TrackId): FaceDecision | undefined {
    return this.#held.get(trackId);
  }

  /** Applies one frame's votes in face order; returns the tracks decided by them. */
  apply(votes: readonly FaceVote[], frame: FrameContext, now: number, firstSeenAt: (trackId: TrackId) => number | undefined): TrackDecided[] {
    const decided: TrackDecided[] = [];
    for (const v of votes) {
      if (v.decision === undefined) {
        continue;
      }
      switch (v.check) {
        case 'suspect':
          // Someone else, or a bad frame? Hold the vote until the next look decides.
          this.#held.set(v.trackId, v.decision);
          continue;
        case 'same':
          this.#held.delete(v.trackId);
          break;
        case 'split':
          if (v.held !== undefined) {
            this.#vote(v.trackId, v.held, v.face, frame, now, firstSeenAt, decided);
          }
          break;
      }
      this.#vote(v.trackId, v.decision, v.face, frame, now, firstSeenAt, decided);
    }
    return decided;
  }

  /** A face as frame subscribers see it: its track's voted identity. */
  describe(face: DetectedFace, trackId: TrackId): FrameFace {
    const identity = this.#voting.identity(trackId);
    const last = this.#lastDecision.get(trackId);
    const base = { box: face.box, trackId, detectionScore: face.score };
    switch (identity.kind) {
      case 'recognized':
        return { ...base, status: 'recognized', employeeId: identity.employeeId, confidence: identity.confidence, method: identity.method };
      case 'unknown':
        return { ...base, status: 'unknown', employeeId: null, confidence: identity.confidence, method: null };
      case 'pending':
        return { ...base, status: 'pending', employeeId: null, confidence: last?.confidence ?? null, method: null };
    }
  }

  forget(trackId: TrackId): void {
    this.#voting.forget(trackId);
    this.#crops.delete(trackId);
    this.#lastDecision.delete(trackId);
    this.#held.delete(trackId);
  }

  #vote(
    trackId: TrackId,
    decision: FaceDecision,
    face: DetectedFace,
    frame: FrameContext,
    now: number,
    firstSeenAt: (trackId: TrackId) => number | undefined,
    out: TrackDecided[],
  ): void {
    this.#lastDecision.set(trackId, decision);
    this.#keepBestCrop(trackId, face);
    const vote = this.#voting.vote(trackId, decision, now);
    if (!vote.decided || vote.identity.kind !== 'recognized') {
      return;
    }
    const crop = this.#crops.get(trackId)?.jpeg;
    out.push({
      cameraId: this.cameraId,
      trackId,
      employeeId: vote.identity.employeeId,
      confidence: vote.identity.confidence,
      method: vote.identity.method,
      at: now,
      firstSeenAt: firstSeenAt(trackId) ?? frame.capturedAt,
      frameNumber: frame.frameNumber,
      mediaTimeMs: frame.mediaTimeMs,
      box: face.box,
      ...(crop === undefined ? {} : { snapshotJpeg: crop }),
    });
  }

  #keepBestCrop(trackId: TrackId, face: DetectedFace): void {
    if (face.alignedJpeg === undefined) {
      return;
    }
    const best = this.#crops.get(trackId);
    if (best === undefined || face.quality.score > best.score) {
      this.#crops.set(trackId, { score: face.quality.score, jpeg: face.alignedJpeg });
    }
  }
}
