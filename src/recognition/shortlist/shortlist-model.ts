// The shortlist classifier as it is stored and used: one linear machine per employee ("is this
// face e rather than one of e's look-alikes?"), one Platt sigmoid shared by all machines, and the
// evidence for the recognition decision computed only for the identities the cosine search
// shortlisted. Cost per face: one dot product per shortlisted identity, whatever the workforce.
import type { EmployeeId } from '../../domain/ids.js';
import type { SvmEvidence } from '../decision-rules.js';
import { plattProbability, type PlattParams } from '../svm/platt.js';
import type { LocalProblemOptions } from './local-problem.js';

export interface EmployeeMachine {
  w: Float32Array;
  bias: number;
  /** The identities it was trained against (hard negatives), nearest first. */
  neighbours: EmployeeId[];
}

export interface ShortlistModel {
  kind: 'shortlist';
  modelId: string;
  dim: number;
  /** Grid-searched penalty shared by every machine. */
  C: number;
  platt: PlattParams;
  local: LocalProblemOptions;
  /** Templates per employee the machines were trained on at most (the adaptive cap). */
  cap: number;
  machines: Map<EmployeeId, EmployeeMachine>;
}

/** A shortlist entry: an employee and its best cosine against the face. */
export interface Candidate {
  employeeId: EmployeeId;
  score: number;
}

/**
 * Candidates this far (cosine) below the best one never change the decision, so a missing machine
 * for them (e.g. someone enrolled after training) does not silence the classifier.
 */
export const COVERAGE_BAND = 0.2;

/**
 * Evidence over the shortlist, or undefined when an identity that matters has no machine (the
 * decision then rests on cosine alone: right for people the classifier has never seen).
 * Probabilities: q_e = p_e * prod_{f != e} (1 - p_f), and "none of them" = prod (1 - p_f),
 * normalised together; `open` is the "none of them" share, so a stranger near nobody in particular
 * gets a low share however the machines rank.
 */
export function shortlistEvidence(model: ShortlistModel, x: Float32Array, candidates: readonly Candidate[]): SvmEvidence | undefined {
  const best = candidates[0];
  if (!best) {
    return undefined;
  }
  if (x.length !== model.dim) {
    throw new RangeError(`embedding has length ${x.length}, model expects ${model.dim}`);
  }
  let norm = 0;
  for (let j = 0; j < x.length; j++) {
    norm += (x[j] as number) ** 2;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const probs: { employeeId: EmployeeId; p: number }[] = [];
  for (const c of candidates) {
    const m = model.machines.get(c.employeeId);
    if (!m) {
      if (c.score >= best.score - COVERAGE_BAND) {
        return undefined;
      }
      continue;
    }
    let f = 0;
    for (let j = 0; j < x.length; j++) {
      f += (m.w[j] as number) * (x[j] as number);
    }
    const p = plattProbability(f * inv + m.bias, model.platt.A, model.platt.B);
    probs.push({ employeeId: c.employeeId, p: Math.min(1 - 1e-9, Math.max(1e-9, p)) });
  }
  let none = 1;
  for (const e of probs) {
    none *= 1 - e.p;
  }
  const raw = probs.map((e) => ({ employeeId: e.employeeId, q: (e.p / (1 - e.p)) * none }));
  const total = raw.reduce((s, e) => s + e.q, none);
  return {
    ranking: raw.map((e) => ({ employeeId: e.employeeId, probability: e.q / total })).sort((a, b) => b.probability - a.probability),
    open: none / total,
  };
}
