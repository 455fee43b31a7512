// The classifier side of a recognition decision, whatever model is live: the global multi-class
// SVM (../svm, small workforces) or the shortlist machines (./shortlist, any size). Both only
// speak about the identities the cosine search shortlisted for the face, and both stay silent
// (cosine decides) when an identity that matters is unknown to them, e.g. a new hire enrolled
// after the last training: the decision is right for people the classifier has never seen.
import type { EmployeeId } from '../domain/ids.js';
import type { SvmEvidence } from './decision-rules.js';
import { COVERAGE_BAND, shortlistEvidence, type Candidate, type ShortlistModel } from './shortlist/shortlist-model.js';
import { deserializeShortlist, serializeShortlist, SHORTLIST_MAGIC } from './shortlist/serialize-shortlist.js';
import { predictSvm } from './svm/predict-svm.js';
import { deserializeSvm, serializeSvm } from './svm/serialize-svm.js';
import type { SvmModel } from './svm/types.js';

export interface Classifier {
  /** Evidence for the face among `candidates` (best cosine first); undefined = no opinion. */
  evidence(x: Float32Array, candidates: readonly Candidate[]): SvmEvidence | undefined;
  /** Whether the classifier knows this employee. */
  covers(id: EmployeeId): boolean;
}

export type ClassifierModel = SvmModel | ShortlistModel;

export function isShortlistModel(model: ClassifierModel): model is ShortlistModel {
  return 'kind' in model && model.kind === 'shortlist';
}

export function classifierFor(model: ClassifierModel): Classifier {
  if (isShortlistModel(model)) {
    return {
      evidence: (x, candidates) => shortlistEvidence(model, x, candidates),
      covers: (id) => model.machines.has(id),
    };
  }
  const known = new Set<number>(model.classes);
  return {
    evidence(x, candidates) {
      const best = candidates[0];
      if (!best || candidates.some((c) => !known.has(c.employeeId) && c.score >= best.score - COVERAGE_BAND)) {
        return undefined;
      }
      return predictSvm(model, x);
    },
    covers: (id) => known.has(id),
  };
}

/** Employee ids the classifier was trained on. */
export function classifierClasses(model: ClassifierModel): EmployeeId[] {
  return isShortlistModel(model) ? [...model.machines.keys()] : [...model.classes];
}

/** The bytes stored in ClassifierModel.artifact, for either kind. */
export function serializeClassifier(model: ClassifierModel): Uint8Array {
  return isShortlistModel(model) ? serializeShortlist(model) : serializeSvm(model);
}

/** Reads either kind (told apart by the magic number). */
export function deserializeClassifier(bytes: Uint8Array): ClassifierModel {
  const magic = bytes.length >= 4 ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) : 0;
  return magic === SHORTLIST_MAGIC ? deserializeShortlist(bytes) : deserializeSvm(bytes);
}
