// trainClassifier: which classifier a workforce gets, and its training. Small workforces keep the
// multi-class RBF SVM of ./svm (grid over C and gamma, one-vs-one, pairwise coupling), whose cost
// grows ~n^2.4 with the templates (50 employees ~4 s, 200 ~90 s and 2.4 GB); above
// `globalMaxEmployees` the shortlist machines of ./shortlist (linear in the workforce: 1,000
// employees in seconds). Both decide only among the cosine shortlist (classifier.ts).
import type { ClassifierModel } from './classifier.js';
import { trainShortlist, type ShortlistMetrics, type ShortlistPhase, type ShortlistTrainOptions } from './shortlist/train-shortlist.js';
import { trainSvm } from './svm/train-svm.js';
import type { SkippedTraining, SvmMetrics, TrainOptions, TrainPhase, TrainingSet } from './svm/types.js';

export type ClassifierStrategy = 'auto' | 'global' | 'shortlist';

export interface ClassifierTrainOptions {
  strategy: ClassifierStrategy;
  /** 'auto': the global SVM up to this many employees, the shortlist machines above. */
  globalMaxEmployees: number;
  svm: Omit<TrainOptions, 'onProgress' | 'signal'>;
  shortlist: Omit<ShortlistTrainOptions, 'onProgress' | 'signal'>;
}

export type ClassifierPhase = TrainPhase | ShortlistPhase;

export type ClassifierMetrics = (SvmMetrics & { strategy: 'global' }) | ShortlistMetrics;

export type ClassifierTrainResult =
  | { kind: 'trained'; model: ClassifierModel; metrics: ClassifierMetrics; templateCount: number; classCount: number; trainingMs: number }
  | SkippedTraining;

/** Default of SVM_GLOBAL_MAX_EMPLOYEES: the global SVM trains in ~5 s there (bench:training). */
export const DEFAULT_GLOBAL_MAX_EMPLOYEES = 60;

export function chooseStrategy(employees: number, opts: Pick<ClassifierTrainOptions, 'strategy' | 'globalMaxEmployees'>): 'global' | 'shortlist' {
  if (opts.strategy !== 'auto') {
    return opts.strategy;
  }
  return employees <= opts.globalMaxEmployees ? 'global' : 'shortlist';
}

export async function trainClassifier(
  set: TrainingSet,
  opts: ClassifierTrainOptions & { onProgress?: (p: { phase: ClassifierPhase; done: number; total: number }) => void; signal?: AbortSignal },
): Promise<ClassifierTrainResult> {
  const employees = new Set(set.labels).size;
  const hooks = { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
  if (chooseStrategy(employees, opts) === 'global') {
    const r = await trainSvm(set, { ...opts.svm, ...hooks });
    return r.kind === 'trained' ? { ...r, metrics: { ...r.metrics, strategy: 'global' } } : r;
  }
  return trainShortlist(set, { ...opts.shortlist, ...hooks });
}
