// The same person throughout a challenge: every frame's embedding close to the
// neutral frame's. A second person stepping in after the frontal frame (to do
// the turns for a photo, or the other way round) breaks it. Turned faces embed
// a little further from the frontal one than two frontal photos do (same
// person >= 0.59 frontal, different people <= 0.19, ../shared/faces README;
// a photo warped into a strong "turn" fell to 0.39), hence a low bar between
// the two.
import { cosine } from '../vision/pixels.js';

export const DEFAULT_IDENTITY_THRESHOLD = 0.3;

export type IdentityResult =
  | { kind: 'consistent'; minSimilarity: number }
  | { kind: 'changed'; minSimilarity: number; frame: number; detail: string };

/** `embeddings[i]` is frame i's (undefined: not embedded, skipped); compared with frame `neutral`'s. */
export function checkIdentity(
  embeddings: readonly (Float32Array | undefined)[],
  neutral: number,
  threshold = DEFAULT_IDENTITY_THRESHOLD,
): IdentityResult {
  const ref = embeddings[neutral];
  if (!ref) {
    return { kind: 'changed', minSimilarity: NaN, frame: neutral, detail: 'the frontal frame has no embedding' };
  }
  let min = 1;
  let worst = neutral;
  embeddings.forEach((e, i) => {
    if (e) {
      const s = cosine(ref, e);
      if (s < min) {
        min = s;
        worst = i;
      }
    }
  });
  return min >= threshold
    ? { kind: 'consistent', minSimilarity: min }
    : { kind: 'changed', minSimilarity: min, frame: worst, detail: `frame ${worst} shows someone else (similarity ${min.toFixed(2)} < ${threshold})` };
}
