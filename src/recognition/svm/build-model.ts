// Turns a fit on the training rows into a self-contained SvmModel: the support vectors that some
// machine uses are copied into one compact table, so prediction needs neither the training set nor libsvm.
import type { MulticlassFit } from './backend.js';
import { DEFAULT_PLATT, type PlattParams } from './platt.js';
import type { SvmKernelType, SvmMachine, SvmModel } from './types.js';
import type { EmployeeId } from '../../domain/ids.js';

export interface BuildModelInput {
  fit: MulticlassFit;
  platt: PlattParams[];
  rows: Float32Array;
  dim: number;
  classes: EmployeeId[];
  kernel: SvmKernelType;
  gamma: number;
  C: number;
  modelId: string;
}

export function buildModel(input: BuildModelInput): SvmModel {
  const { fit, rows, dim } = input;
  const local = new Map<number, number>();
  for (const machine of fit.machines) {
    for (const g of machine?.sv ?? []) {
      if (!local.has(g)) {
        local.set(g, local.size);
      }
    }
  }
  const supportVectors = new Float32Array(local.size * dim);
  for (const [g, l] of local) {
    supportVectors.set(rows.subarray(g * dim, (g + 1) * dim), l * dim);
  }
  const machines: SvmMachine[] = fit.machines.map((machine, m) => {
    const platt = input.platt[m] ?? DEFAULT_PLATT;
    if (machine === null) {
      // Cannot happen for a refit on all data (every class has samples); kept total for the types.
      return { svIndex: new Uint32Array(0), coef: new Float32Array(0), bias: 0, plattA: platt.A, plattB: platt.B };
    }
    return {
      svIndex: Uint32Array.from(machine.sv, (g) => local.get(g) ?? 0),
      coef: Float32Array.from(machine.coef),
      bias: machine.bias,
      plattA: platt.A,
      plattB: platt.B,
    };
  });
  return {
    modelId: input.modelId,
    kernel: input.kernel,
    gamma: input.kernel === 'linear' ? 0 : input.gamma,
    C: input.C,
    strategy: fit.strategy,
    dim,
    classes: input.classes,
    supportVectors,
    svCount: local.size,
    machines,
  };
}
