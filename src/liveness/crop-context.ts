// Whether a passive liveness score means anything: fr_liveness.onnx judges a crop 2.7x the face
// box (vision/liveness-crop.ts), the face AND its surroundings (a phone's or a sheet's border is
// what it looks for). When the face fills the picture (an ID-badge crop, a face right against
// the camera) the crop shrinks to what the picture holds, and below the face box itself the
// model sees part of a face it was never trained on: its score is a guess.
//
// Measured (23 photos of live faces: the 21 shared photos and the 2 live antispoof samples, and the
// 2 attack samples, each re-cropped tighter and tighter; context = crop side / face box side):
// - context >= 1 (the crop holds at least the face box): every photo got the verdict at 0.05 it
//   gets with its whole picture, except the back-lit live sample that is borderline at any crop
//   (0.03-0.87); the print scored <= 0.001, the tablet <= 0.023;
// - context 0.7-0.97 (badge crops, 0.95x the face box wide): the live photos' scores spread from
//   0.001 to 0.995, 3 of 23 fell below 0.05 (a "spoof" by chance) and one more scored 0.065.
// The padded second look at a tight picture (vision/padded-analysis.ts) scores a crop whose
// surroundings are repeated border pixels, invented: its context is 0.

/** Liveness crop side over face box side (2.7 asked) below which the score is a guess. */
export const MIN_LIVENESS_CONTEXT = 1;

export function livenessJudgeable(context: number | undefined): boolean {
  return context !== undefined && context >= MIN_LIVENESS_CONTEXT;
}
