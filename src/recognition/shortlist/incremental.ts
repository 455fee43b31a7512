// Incremental updates of a shortlist model: one employee's machine, fitted on the same kind of
// local problem as in a full training (their templates against the nearest identities' hard
// negatives and a few others), with the model's grid-searched C and shared Platt sigmoid. A new
// hire costs one small fit (milliseconds), not a retrain; until it lands the decision already
// rests on cosine for them (shortlistEvidence's coverage rule).
import type { EmployeeId } from '../../domain/ids.js';
import { selectTemplates } from '../svm/template-select.js';
import { normaliseInPlace, packUnitRows } from '../svm/vectors.js';
import { fitLinearSvm } from './linear-svm.js';
import { classCentroids, localProblem, type ClassRows } from './local-problem.js';
import type { EmployeeMachine, ShortlistModel } from './shortlist-model.js';
import { classRng } from './train-shortlist.js';

export interface MachineInput {
  dim: number;
  /** The employee's templates, row-major (normalised here). */
  own: Float32Array;
  /** Templates of the identities nearest to them, nearest first. */
  neighbours: { employeeId: EmployeeId; rows: Float32Array }[];
  /** Some templates of other people (random negatives), row-major. */
  others: Float32Array;
  qualities?: number[];
  seed?: number;
}

/** Fits one employee's machine with the model's hyperparameters. */
export function fitEmployeeMachine(model: Pick<ShortlistModel, 'C' | 'local' | 'cap'>, input: MachineInput): EmployeeMachine {
  const { dim } = input;
  const split = (rows: Float32Array): Float32Array[] =>
    Array.from({ length: Math.floor(rows.length / dim) }, (_, i) => rows.subarray(i * dim, (i + 1) * dim));
  let own = split(input.own);
  if (own.length === 0) {
    throw new RangeError('an employee machine needs at least one template');
  }
  if (own.length > model.cap) {
    const packed = packUnitRows(own, dim);
    const kept = selectTemplates(packed, dim, new Int32Array(own.length), 1, model.cap, input.qualities);
    own = [...kept].map((i) => own[i] as Float32Array);
  }
  const groups = [own, ...input.neighbours.map((n) => split(n.rows)), ...split(input.others).map((r) => [r])];
  const rows = packUnitRows(groups.flat(), dim);
  let next = 0;
  const data: ClassRows = {
    rows,
    dim,
    members: groups.map((g) => Int32Array.from(g, () => next++)),
  };
  const centroids = classCentroids(data);
  const neighbourClasses = input.neighbours.map((_, i) => i + 1);
  const problem = localProblem(data, centroids, 0, neighbourClasses, model.local, classRng(input.seed ?? 1, 0));
  const fit = fitLinearSvm(problem, { C: model.C, seed: input.seed ?? 1 });
  return { w: fit.w, bias: fit.bias, neighbours: input.neighbours.map((n) => n.employeeId) };
}

/** A new model with `set` machines added or replaced and `removed` employees dropped (the old one is untouched). */
export function withMachines(model: ShortlistModel, set: ReadonlyMap<EmployeeId, EmployeeMachine>, removed: readonly EmployeeId[] = []): ShortlistModel {
  const machines = new Map(model.machines);
  for (const id of removed) {
    machines.delete(id);
  }
  for (const [id, m] of set) {
    machines.set(id, m);
  }
  return { ...model, machines };
}

/** Unit mean direction of some rows: the query that finds an employee's nearest identities in the gallery. */
export function meanDirection(rows: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (let o = 0; o + dim <= rows.length; o += dim) {
    const v = normaliseInPlace(Float32Array.from(rows.subarray(o, o + dim)));
    for (let j = 0; j < dim; j++) {
      out[j] = (out[j] as number) + (v[j] as number);
    }
  }
  return normaliseInPlace(out);
}
