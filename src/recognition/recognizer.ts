// Holds what recognition needs for ONE model pack: the current gallery and
// the optional SVM, swapped atomically when templates change or a model is
// (re)trained/loaded, and turns the embeddings of a frame's faces into
// decisions (decision.ts).
import type { ModelPackId } from '../domain/ids.js';
import type { GallerySearch } from '../vision/gallery-search.js';
import type { FaceQuality, QualityIssue } from '../vision/types.js';
import type { Classifier } from './classifier.js';
import { decide, NO_FACE, type DecisionParams, type RecognitionDecision } from './decision-rules.js';

interface State {
  gallery: GallerySearch | undefined;
  svm: Classifier | undefined;
}

/**
 * Persons looked up per face (the cosine shortlist): the best and the runner-up decide the cosine
 * rule; the classifier weighs all of them, so its cost per face is the same for 5 or 5,000 staff.
 */
export const SHORTLIST = 5;

export class Recognizer {
  // One immutable object, replaced whole: a recognize() call reads it once, so
  // it never pairs the gallery of one generation with the SVM of another.
  private state: State;

  constructor(
    readonly modelId: ModelPackId,
    private params: DecisionParams,
    initial: Partial<State> = {},
  ) {
    this.state = { gallery: initial.gallery, svm: initial.svm };
  }

  get gallery(): GallerySearch | undefined {
    return this.state.gallery;
  }

  get hasSvm(): boolean {
    return this.state.svm !== undefined;
  }

  setGallery(gallery: GallerySearch | undefined): void {
    this.state = { ...this.state, gallery };
  }

  /** undefined = no live model (none trained, or its class set no longer matches the gallery). */
  setSvm(svm: Classifier | undefined): void {
    this.state = { ...this.state, svm };
  }

  /** Gallery and SVM together, e.g. after a retrain that also reloaded templates. */
  swap(next: { gallery: GallerySearch | undefined; svm: Classifier | undefined }): void {
    this.state = { gallery: next.gallery, svm: next.svm };
  }

  setParams(params: DecisionParams): void {
    this.params = params;
  }

  /**
   * One decision per face, in order. `embeddings[i]` undefined (face found but
   * not embedded) gives 'no_face'; qualities[i] absent means no known issues.
   */
  async recognize(
    embeddings: readonly (Float32Array | undefined)[],
    qualities: readonly (Pick<FaceQuality, 'issues'> | readonly QualityIssue[] | undefined)[] = [],
  ): Promise<RecognitionDecision[]> {
    const { gallery, svm } = this.state;
    const params = this.params;
    const present = embeddings.flatMap((e, i) => (e ? [{ e, i }] : []));
    const candidates =
      gallery && gallery.size > 0 && present.length > 0
        ? await gallery.bestPerEmployeeBatch(
            present.map((p) => p.e),
            SHORTLIST,
          )
        : present.map(() => []);
    const out: RecognitionDecision[] = embeddings.map(() => NO_FACE);
    present.forEach(({ e, i }, k) => {
      const issues = issuesOf(qualities[i]);
      const lowQuality = issues.some((issue) => params.lowQualityIssues.has(issue));
      const found = candidates[k] ?? [];
      // The SVM is skipped for empty galleries and low-quality faces (decide ignores it there).
      const svmEvidence = svm && found.length > 0 && !lowQuality ? svm.evidence(e, found) : undefined;
      out[i] = decide({ candidates: found, issues, ...(svmEvidence ? { svm: svmEvidence } : {}) }, params);
    });
    return out;
  }
}

function isIssueList(q: Pick<FaceQuality, 'issues'> | readonly QualityIssue[]): q is readonly QualityIssue[] {
  return Array.isArray(q);
}

function issuesOf(q: Pick<FaceQuality, 'issues'> | readonly QualityIssue[] | undefined): readonly QualityIssue[] {
  if (!q) {
    return [];
  }
  return isIssueList(q) ? q : q.issues;
}
