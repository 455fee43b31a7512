// Rendezvous (highest random weight) hashing: every instance computes, with
// no coordination, the same preferred owner of a camera among the live
// instances; when one leaves, only its cameras move, and the cameras spread
// evenly over the instances.
import { createHash } from 'node:crypto';

export function preferredOwner<T extends string>(resource: string, candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestWeight = -1;
  for (const candidate of candidates) {
    const weight = createHash('sha1').update(`${candidate}\u0000${resource}`).digest().readUInt32BE(0);
    if (weight > bestWeight || (weight === bestWeight && best !== undefined && candidate < best)) {
      best = candidate;
      bestWeight = weight;
    }
  }
  return best;
}
