// Which face of a frame is the one being enrolled? Exactly one face is easy.
// With several, a kiosk often catches someone far behind the user: accept the
// largest face when it clearly dominates (much larger than the runner-up) and
// sits near the middle of the picture; otherwise refuse, because enrolling the
// wrong person is worse than asking again.
import type { DetectedFace, FrameAnalysis } from '../vision/types.js';

export interface DominanceParams {
  /** Largest box side / second largest box side must be at least this. */
  minSideRatio: number;
  /** Centre of the largest box within this fraction of width/height from the image centre. */
  maxCentreOffset: number;
}

// 1.6x the side is ~2.6x the area: a person a step or two behind the user.
export const DEFAULT_DOMINANCE_PARAMS: DominanceParams = { minSideRatio: 1.6, maxCentreOffset: 0.3 };

export type FaceChoice =
  | { kind: 'none' }
  | { kind: 'one'; face: DetectedFace; dominant: boolean }
  | { kind: 'multiple'; count: number };

const side = (f: DetectedFace): number => Math.max(f.box[2] - f.box[0], f.box[3] - f.box[1]);

export function chooseFace(analysis: Pick<FrameAnalysis, 'faces' | 'width' | 'height'>, params: DominanceParams = DEFAULT_DOMINANCE_PARAMS): FaceChoice {
  const faces = analysis.faces;
  const [only] = faces;
  if (only === undefined) {
    return { kind: 'none' };
  }
  if (faces.length === 1) {
    return { kind: 'one', face: only, dominant: false };
  }
  const bySize = [...faces].sort((a, b) => side(b) - side(a));
  const [largest, second] = bySize as [DetectedFace, DetectedFace];
  const cx = (largest.box[0] + largest.box[2]) / 2 / analysis.width - 0.5;
  const cy = (largest.box[1] + largest.box[3]) / 2 / analysis.height - 0.5;
  const centred = Math.abs(cx) <= params.maxCentreOffset && Math.abs(cy) <= params.maxCentreOffset;
  if (side(largest) >= params.minSideRatio * side(second) && centred) {
    return { kind: 'one', face: largest, dominant: true };
  }
  return { kind: 'multiple', count: faces.length };
}
