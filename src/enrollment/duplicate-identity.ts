// Refuses an enrollment whose face already belongs to another employee. The
// gallery lookup is an argument (the service searches stored templates of the
// same model pack), so this stays pure and testable.
import type { EmployeeId } from '../domain/ids.js';

export interface GalleryMatch {
  employeeId: EmployeeId;
  /** Best cosine between the probe and any template of that employee. */
  similarity: number;
}

export type DuplicateDecision =
  | { kind: 'unique'; bestSimilarity: number | undefined }
  | { kind: 'duplicate'; employeeId: EmployeeId; similarity: number };

export interface DuplicateParams {
  /** Similarity at or above which the face is taken to be that employee. */
  threshold: number;
  /** Re-enrolling an employee (adding templates) must not find themselves. */
  excludeEmployeeId?: EmployeeId;
}

/**
 * Default threshold: a bit above the recognition threshold, because a mean
 * template of many frames against a gallery's best template scores higher than
 * one live frame does; a false "duplicate" blocks a real new employee, so the
 * margin errs towards letting enrollment through while still catching the
 * same person enrolled twice (same-person cosine >= 0.59 on the shared set).
 */
export function defaultDuplicateThreshold(recognitionThreshold: number, margin = 0.05): number {
  return Math.min(1, recognitionThreshold + margin);
}

/** Decides from the gallery's best match per employee. */
export function decideDuplicate(matches: Iterable<GalleryMatch>, params: DuplicateParams): DuplicateDecision {
  let best: GalleryMatch | undefined;
  for (const m of matches) {
    if (params.excludeEmployeeId !== undefined && m.employeeId === params.excludeEmployeeId) {
      continue;
    }
    if (best === undefined || m.similarity > best.similarity) {
      best = m;
    }
  }
  if (best !== undefined && best.similarity >= params.threshold) {
    return { kind: 'duplicate', employeeId: best.employeeId, similarity: best.similarity };
  }
  return { kind: 'unique', bestSimilarity: best?.similarity };
}

/** Looks the mean embedding up in the gallery and decides. */
export async function checkDuplicateIdentity(
  meanEmbedding: Float32Array,
  bestPerEmployee: (embedding: Float32Array) => Promise<Iterable<GalleryMatch>> | Iterable<GalleryMatch>,
  params: DuplicateParams,
): Promise<DuplicateDecision> {
  return decideDuplicate(await bestPerEmployee(meanEmbedding), params);
}

export function duplicateMessage(d: Extract<DuplicateDecision, { kind: 'duplicate' }>): string {
  return `This face is already enrolled as employee ${d.employeeId} (similarity ${d.similarity.toFixed(2)})`;
}
