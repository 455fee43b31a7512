// Enrollment from still photos: each photo must hold exactly one usable face
// (a clearly dominant one counts, as for live frames), else it gets its own
// reason. No pose coverage is required; the pose only labels the frame.
import type { FrameCandidate, Pose } from './coverage.js';
import { chooseFace } from './face-choice.js';
import type { QualityVerdict } from './feedback-types.js';
import { DEFAULT_FRAME_FEEDBACK_PARAMS, type FrameFeedbackParams, type FrameInput } from './frame-feedback.js';
import { DEFAULT_POSE_SECTOR_PARAMS, classifyPose, type PoseSectorParams } from './pose-sectors.js';
import { assessQuality, PHOTO_QUALITY_PARAMS } from './quality-verdict.js';

/**
 * Photos are judged like live frames, except that a face is cut off only when its eyes, nose or
 * mouth are outside the picture: ID-badge and passport photos are cropped tight around the face.
 */
export const PHOTO_FEEDBACK_PARAMS: FrameFeedbackParams = { ...DEFAULT_FRAME_FEEDBACK_PARAMS, quality: PHOTO_QUALITY_PARAMS };

export type PhotoRejection = 'invalid_image' | 'no_face' | 'multiple_faces' | 'low_quality' | 'no_embedding';

export type PhotoVerdict =
  | { ok: true; index: number; candidate: FrameCandidate; quality: QualityVerdict; dominantFace: boolean }
  | { ok: false; index: number; reason: PhotoRejection; message: string; faceCount: number; quality?: QualityVerdict; pose?: Pose };

const REASON_TEXT: Record<string, string> = {
  cut_off: 'the face is cut off at the edge',
  too_small: 'the face is too small',
  too_dark: 'the photo is too dark',
  too_bright: 'the photo is too bright',
  occluded: 'the face is partly hidden',
  blur: 'the photo is blurred',
  extreme_pose: 'the head is turned too far',
};

/** Judges photo number `index` (0-based, as uploaded). */
export function evaluatePhoto(
  input: FrameInput,
  index: number,
  params: FrameFeedbackParams = PHOTO_FEEDBACK_PARAMS,
  sectors: PoseSectorParams = DEFAULT_POSE_SECTOR_PARAMS,
): PhotoVerdict {
  const label = `Photo ${index + 1}`;
  if (input.kind === 'invalid_image') {
    return { ok: false, index, reason: 'invalid_image', message: `${label}: not a readable JPEG/PNG image`, faceCount: 0 };
  }
  const { analysis } = input;
  const faceCount = analysis.faces.length;
  const choice = chooseFace(analysis, params.dominance);
  if (choice.kind === 'none') {
    return { ok: false, index, reason: 'no_face', message: `${label}: no face found`, faceCount };
  }
  if (choice.kind === 'multiple') {
    return { ok: false, index, reason: 'multiple_faces', message: `${label}: ${faceCount} faces found, exactly one is needed`, faceCount };
  }
  const { face } = choice;
  const pose: Pose = { yaw: face.quality.yaw, pitch: face.quality.pitch, roll: face.quality.roll };
  const quality = assessQuality(face, analysis, params.quality, sectors);
  if (!quality.ok) {
    const why = quality.reasons.map((r) => REASON_TEXT[r] ?? r).join(', ');
    return { ok: false, index, reason: 'low_quality', message: `${label}: ${why}`, faceCount, quality, pose };
  }
  if (!face.embedding) {
    return { ok: false, index, reason: 'no_embedding', message: `${label}: the face could not be embedded`, faceCount, quality, pose };
  }
  const zone = classifyPose(pose.yaw, pose.pitch, sectors);
  const sector = zone.zone === 'centre' || zone.zone === 'ring' ? zone.sector : zone.nearest;
  const candidate: FrameCandidate = {
    frameNumber: index,
    // Photos have no capture time; the index keeps timestamps distinct for deduplication.
    timestamp: index,
    sector,
    pose,
    qualityScore: face.quality.score,
    faceSize: face.quality.faceSize,
    embedding: face.embedding,
    ...(face.alignedJpeg ? { alignedJpeg: face.alignedJpeg } : {}),
  };
  return { ok: true, index, candidate, quality, dominantFace: choice.dominant };
}
