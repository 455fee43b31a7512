// submitEnrollmentFrame's logic: one analysed frame (or an unreadable image) in,
// the next coverage state and the feedback for that frame out. Pure: the
// service keeps the returned state in its session store.
import type { FrameAnalysis } from '../vision/types.js';
import {
  addCandidate,
  allCandidates,
  calibrate,
  coveredSectors,
  hasSeenFrame,
  isComplete,
  isSectorCovered,
  missingSectors,
  progress,
  recordRejectedFrame,
  sessionSectorParams,
  type CoverageState,
  type FrameCandidate,
  type Pose,
} from './coverage.js';
import { cosine, normalizedMean } from './embedding-math.js';
import { DEFAULT_DOMINANCE_PARAMS, chooseFace, type DominanceParams } from './face-choice.js';
import type { FaceStatus, FrameFeedback, QualityVerdict, RejectionCode } from './feedback-types.js';
import { instruction } from './instruction.js';
import { classifyPose, type PoseSector } from './pose-sectors.js';
import { DEFAULT_QUALITY_PARAMS, assessQuality, type QualityParams } from './quality-verdict.js';

export type FrameInput =
  | { kind: 'analysis'; analysis: FrameAnalysis }
  /** The bytes were not a decodable image (the engine threw while decoding). */
  | { kind: 'invalid_image'; message?: string };

export interface FrameMeta {
  frameNumber: number;
  /** Milliseconds, client clock. */
  timestamp: number;
}

export interface IdentityParams {
  /**
   * A frame whose embedding has a lower cosine to the session's mean template is
   * someone else. Same-person pairs score >= 0.59 and different people <= 0.19
   * on the shared photo set (frontal); turned heads lower the first, so 0.3.
   */
  minCosineToSession: number;
  /** Kept frames needed before the check applies (the first frames define the person). */
  minFrames: number;
}

export interface FrameFeedbackParams {
  quality: QualityParams;
  dominance: DominanceParams;
  identity: IdentityParams;
  /**
   * Camera frames whose face scores P(live) below this are refused (LIVENESS_THRESHOLD); null =
   * liveness off. A face the engine did not score is not judged.
   */
  livenessThreshold: number | null;
}

export const DEFAULT_FRAME_FEEDBACK_PARAMS: FrameFeedbackParams = {
  quality: DEFAULT_QUALITY_PARAMS,
  dominance: DEFAULT_DOMINANCE_PARAMS,
  identity: { minCosineToSession: 0.3, minFrames: 2 },
  livenessThreshold: null,
};

export interface FrameResult {
  state: CoverageState;
  feedback: FrameFeedback;
  /** The candidate added to the state, when the frame was accepted. */
  candidate?: FrameCandidate;
}

const NO_QUALITY: QualityVerdict = { ok: false, score: 0, reasons: [] };

interface Rejection {
  faceStatus: FaceStatus;
  rejection: RejectionCode;
  faceCount: number;
  quality: QualityVerdict;
  pose?: Pose;
  sector?: PoseSector;
}

function rejected(state: CoverageState, meta: FrameMeta, r: Rejection, countFrame: boolean): FrameResult {
  const next = countFrame ? recordRejectedFrame(state, meta.frameNumber, r.pose) : state;
  // A retried frame says nothing new about the user: instruct from the state alone.
  const last = r.rejection === 'duplicate_frame' ? undefined : r;
  const ins = instruction(next, last);
  const feedback: FrameFeedback = {
    status: 'rejected',
    frameNumber: meta.frameNumber,
    timestamp: meta.timestamp,
    faceStatus: r.faceStatus,
    rejection: r.rejection,
    faceCount: r.faceCount,
    quality: r.quality,
    ...(r.pose ? { pose: r.pose } : {}),
    ...(r.sector ? { sector: r.sector } : {}),
    coveredSectors: coveredSectors(next),
    missingSectors: missingSectors(next),
    progress: progress(next),
    complete: isComplete(next),
    instruction: ins.text,
    instructionCode: ins.code,
  };
  return { state: next, feedback };
}

export function evaluateFrame(
  state: CoverageState,
  input: FrameInput,
  meta: FrameMeta,
  params: FrameFeedbackParams = DEFAULT_FRAME_FEEDBACK_PARAMS,
): FrameResult {
  const duplicate = hasSeenFrame(state, meta.frameNumber);
  const reject = (r: Rejection): FrameResult =>
    duplicate
      ? rejected(state, meta, { ...r, rejection: 'duplicate_frame' }, false)
      : rejected(state, meta, r, true);

  if (input.kind === 'invalid_image') {
    return reject({ faceStatus: 'invalid_image', rejection: 'invalid_image', faceCount: 0, quality: NO_QUALITY });
  }
  const { analysis } = input;
  const faceCount = analysis.faces.length;
  const choice = chooseFace(analysis, params.dominance);
  if (choice.kind === 'none') {
    return reject({ faceStatus: 'no_face', rejection: 'no_face', faceCount, quality: NO_QUALITY });
  }
  if (choice.kind === 'multiple') {
    return reject({ faceStatus: 'multiple_faces', rejection: 'multiple_faces', faceCount, quality: NO_QUALITY });
  }

  const { face } = choice;
  const pose: Pose = { yaw: face.quality.yaw, pitch: face.quality.pitch, roll: face.quality.roll };
  const quality = assessQuality(face, analysis, params.quality, sessionSectorParams(state));
  const one = { faceStatus: 'one_face', faceCount, quality, pose } as const;
  // Before anything else about the face: a printed photo or a screen never enrolls through the camera.
  if (params.livenessThreshold !== null && face.liveness !== undefined && face.liveness < params.livenessThreshold) {
    return reject({ ...one, rejection: 'not_live' });
  }
  if (!quality.ok) {
    return reject({ ...one, rejection: 'low_quality' });
  }
  if (!duplicate) {
    // From here on, rejections and the accepted frame carry the calibration sample.
    state = calibrate(state, pose);
  }
  const zone = classifyPose(pose.yaw, pose.pitch, sessionSectorParams(state));
  if (zone.zone !== 'centre' && zone.zone !== 'ring') {
    // 'extreme' was already a quality reason, so this is the dead band.
    return reject({ ...one, rejection: 'between_sectors' });
  }
  const sector = zone.sector;

  if (face.embedding && !duplicate) {
    const kept = allCandidates(state).flatMap((c) => (c.embedding ? [c.embedding] : []));
    const reference = kept.length >= params.identity.minFrames ? normalizedMean(kept) : undefined;
    if (reference && cosine(reference, face.embedding) < params.identity.minCosineToSession) {
      return reject({ ...one, sector, rejection: 'different_person' });
    }
  }
  if (duplicate) {
    return reject({ ...one, sector, rejection: 'duplicate_frame' });
  }

  const candidate: FrameCandidate = {
    frameNumber: meta.frameNumber,
    timestamp: meta.timestamp,
    sector,
    pose,
    qualityScore: face.quality.score,
    faceSize: face.quality.faceSize,
    ...(face.embedding ? { embedding: face.embedding } : {}),
    ...(face.alignedJpeg ? { alignedJpeg: face.alignedJpeg } : {}),
  };
  const wasCovered = isSectorCovered(state, sector);
  const next = addCandidate(state, candidate);
  const ins = instruction(next, { faceStatus: 'one_face', quality, pose });
  const feedback: FrameFeedback = {
    status: 'accepted',
    frameNumber: meta.frameNumber,
    timestamp: meta.timestamp,
    faceStatus: 'one_face',
    faceCount,
    dominantFace: choice.dominant,
    quality,
    pose,
    sector,
    newlyCovered: !wasCovered && isSectorCovered(next, sector),
    coveredSectors: coveredSectors(next),
    missingSectors: missingSectors(next),
    progress: progress(next),
    complete: isComplete(next),
    instruction: ins.text,
    instructionCode: ins.code,
  };
  return { state: next, feedback, candidate };
}
