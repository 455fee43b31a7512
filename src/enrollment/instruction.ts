// The one short instruction shown under the camera preview after each frame.
// Problems with the last frame come first (the user must fix them before any
// pose counts), then guidance around the ring. "Left"/"right" are the
// person's own left/right (see pose-sectors.ts); a mirrored preview makes
// that feel natural on a kiosk.
import type { QualityIssue } from '../vision/types.js';
import { coverageShortfall, isSectorCovered, missingSectors, sessionSectorParams, type CoverageState } from './coverage.js';
import type { FaceStatus, Instruction, RejectionCode } from './feedback-types.js';
import {
  RING_SECTORS,
  angleDistance,
  classifyPose,
  sectorAngle,
  type RingSector,
} from './pose-sectors.js';

/** What instruction() needs of the last frame; a FrameFeedback fits. */
export interface LastFrame {
  faceStatus: FaceStatus;
  rejection?: RejectionCode;
  quality: { reasons: readonly QualityIssue[] };
  pose?: { yaw: number; pitch: number };
}

const TURN_TEXT: Record<RingSector, string> = {
  left: 'Turn your head slowly to the left',
  'up-left': 'Tilt your head up and to the left',
  up: 'Tilt your head up',
  'up-right': 'Tilt your head up and to the right',
  right: 'Turn your head slowly to the right',
  'down-right': 'Tilt your head down and to the right',
  down: 'Tilt your head down',
  'down-left': 'Tilt your head down and to the left',
};

// Order matters: a face cut off at the edge also reads as small and dark, so
// framing is fixed first, then distance, then light, then the rest.
const ISSUE_INSTRUCTIONS: readonly [QualityIssue, Instruction][] = [
  ['cut_off', { code: 'cut_off', text: 'Move your face to the middle of the picture' }],
  ['too_small', { code: 'too_small', text: 'Move closer' }],
  ['too_dark', { code: 'too_dark', text: 'More light needed' }],
  ['too_bright', { code: 'too_bright', text: 'Too bright — avoid strong light behind or on you' }],
  ['occluded', { code: 'occluded', text: 'Keep your face uncovered (no hand, mask or hair over it)' }],
  ['blur', { code: 'blur', text: 'Hold still' }],
  ['extreme_pose', { code: 'extreme_pose', text: 'Not so far — turn back a little' }],
];

function problemInstruction(last: LastFrame): Instruction | undefined {
  switch (last.faceStatus) {
    case 'invalid_image':
      return { code: 'invalid_image', text: 'The camera picture could not be read — trying again' };
    case 'no_face':
      return { code: 'no_face', text: 'Look straight at the camera' };
    case 'multiple_faces':
      return { code: 'multiple_faces', text: 'Only one person in view, please' };
    case 'one_face':
      break;
  }
  if (last.rejection === 'not_live') {
    return { code: 'not_live', text: 'A photo or a screen cannot be enrolled: the person must stand in front of the camera' };
  }
  if (last.rejection === 'different_person') {
    return { code: 'different_person', text: 'Only the person being enrolled should be in view' };
  }
  for (const [issue, instruction] of ISSUE_INSTRUCTIONS) {
    if (last.quality.reasons.includes(issue)) {
      return instruction;
    }
  }
  return undefined;
}

/** The missing ring sector to ask for next: nearest to where the head is, else the first of the sweep. */
function nextTarget(state: CoverageState, last: LastFrame | undefined): RingSector | undefined {
  const missing = RING_SECTORS.filter((s) => !isSectorCovered(state, s));
  const pose = last?.pose ?? state.lastPose;
  if (missing.length === 0) {
    return undefined;
  }
  if (pose) {
    const zone = classifyPose(pose.yaw, pose.pitch, sessionSectorParams(state));
    if (zone.zone !== 'centre') {
      // Ties go to the earlier sector in sweep order, so the user circles one way.
      let best = missing[0];
      let bestDistance = Infinity;
      for (const s of missing) {
        const d = angleDistance(zone.angle, sectorAngle(s));
        if (d < bestDistance - 1e-9) {
          best = s;
          bestDistance = d;
        }
      }
      return best;
    }
  }
  return missing[0];
}

export function instruction(state: CoverageState, last?: LastFrame): Instruction {
  const problem = last ? problemInstruction(last) : undefined;
  if (problem) {
    return problem;
  }
  if (coverageShortfall(state).ok) {
    return { code: 'done', text: 'All done — tap Complete' };
  }
  if (missingSectors(state).includes('centre') && state.params.requirement.centre) {
    const pose = last?.pose ?? state.lastPose;
    const atCentre = pose !== undefined && classifyPose(pose.yaw, pose.pitch, sessionSectorParams(state)).zone === 'centre';
    return atCentre
      ? { code: 'hold_pose', text: 'Hold still', target: 'centre' }
      : { code: 'look_straight', text: 'Look straight at the camera', target: 'centre' };
  }
  const target = nextTarget(state, last);
  if (target === undefined) {
    // Ring fully covered but the requirement is still unmet: cannot happen with ringMin <= 8.
    return { code: 'look_straight', text: 'Look straight at the camera', target: 'centre' };
  }
  const pose = last?.pose ?? state.lastPose;
  const zone = pose ? classifyPose(pose.yaw, pose.pitch, sessionSectorParams(state)) : undefined;
  if (zone?.zone === 'ring' && zone.sector === target) {
    return { code: 'hold_pose', text: 'Hold still', target };
  }
  return { code: 'turn', text: TURN_TEXT[target], target };
}
