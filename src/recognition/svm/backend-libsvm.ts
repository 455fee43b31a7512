// libsvm-js (libsvm 3.x compiled to wasm) in its precomputed-kernel mode: each sample is passed as
// [serial, K(x, x_1), ..., K(x, x_m)]. libsvm trains one-vs-one; its text model is parsed back into
// FittedMachines, so prediction runs without libsvm.
import { createRequire } from 'node:module';
import { groupByClass, pairIndex, type FittedMachine, type FitRequest, type MulticlassFit, type SvmBackend } from './backend.js';

interface LibsvmInstance {
  train(samples: ArrayLike<number>[], labels: number[]): void;
  serializeModel(): string;
  free(): void;
}
interface LibsvmClass {
  new (options: Record<string, unknown>): LibsvmInstance;
  KERNEL_TYPES: { PRECOMPUTED: string };
  SVM_TYPES: { C_SVC: string };
}

const require = createRequire(import.meta.url);
let loaded: Promise<LibsvmClass> | undefined;

/** libsvm-js's wasm build logs a harmless "wasm streaming compile failed" fallback on Node; hide it. */
async function loadLibsvm(): Promise<LibsvmClass> {
  loaded ??= (async () => {
    const warn = console.warn;
    const error = console.error;
    console.warn = () => undefined;
    console.error = () => undefined;
    try {
      return await (require('libsvm-js') as Promise<LibsvmClass>);
    } finally {
      console.warn = warn;
      console.error = error;
    }
  })();
  return loaded;
}

export async function createLibsvmBackend(): Promise<SvmBackend> {
  const SVM = await loadLibsvm();
  return { name: 'libsvm', strategy: 'ovo', fit: (req) => fitLibsvm(SVM, req) };
}

function fitLibsvm(SVM: LibsvmClass, req: FitRequest): MulticlassFit {
  const k = req.classCount;
  // Sorted by class, so libsvm's label order (first appearance) is ascending.
  const order = groupByClass(req.train, req.classOf, k).flat();
  const m = order.length;
  const samples = order.map((g, s) => {
    const row = new Float64Array(m + 1);
    row[0] = s + 1;
    const base = g * req.n;
    for (let t = 0; t < m; t++) {
      row[t + 1] = req.kernel[base + (order[t] as number)] as number;
    }
    return row;
  });
  const svm = new SVM({ type: SVM.SVM_TYPES.C_SVC, kernel: SVM.KERNEL_TYPES.PRECOMPUTED, cost: req.C, quiet: true, shrinking: true });
  try {
    svm.train(samples, order.map((g) => req.classOf[g] as number));
    return parseModel(svm.serializeModel(), order, k);
  } finally {
    svm.free();
  }
}

/** Reads libsvm's text model (sv_coef layout of svm_predict_values) into one machine per pair. */
export function parseModel(text: string, order: number[], k: number): MulticlassFit {
  const lines = text.split('\n');
  const field = (name: string): number[] =>
    (lines.find((l) => l.startsWith(`${name} `)) ?? '').split(' ').slice(1).filter(Boolean).map(Number);
  const labels = field('label');
  const rho = field('rho');
  const nSv = field('nr_sv');
  const svStart = lines.indexOf('SV') + 1;
  const svLines = lines.slice(svStart).filter((l) => l.trim() !== '');
  const coefs = svLines.map((l) => l.trim().split(' ').slice(0, labels.length - 1).map(Number));
  const serials = svLines.map((l) => Number(/0:(\d+)/.exec(l)?.[1] ?? '0'));
  const start: number[] = [];
  nSv.reduce((acc, c, i) => ((start[i] = acc), acc + c), 0);
  const machines: (FittedMachine | null)[] = new Array<FittedMachine | null>((k * (k - 1)) / 2).fill(null);
  let p = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++, p++) {
      const sv: number[] = [];
      const coef: number[] = [];
      const take = (cls: number, row: number): void => {
        for (let s = start[cls] ?? 0; s < (start[cls] ?? 0) + (nSv[cls] ?? 0); s++) {
          const c = coefs[s]?.[row] ?? 0;
          if (c !== 0) {
            sv.push(order[(serials[s] ?? 1) - 1] as number);
            coef.push(c);
          }
        }
      };
      take(i, j - 1);
      take(j, i);
      const a = labels[i] as number;
      const b = labels[j] as number;
      // Positive = labels[i]; flip if libsvm's order disagrees with ascending class order.
      const sign = a < b ? 1 : -1;
      machines[pairIndex(Math.min(a, b), Math.max(a, b), k)] = {
        sv: Int32Array.from(sv),
        coef: Float64Array.from(coef, (c) => sign * c),
        bias: -sign * (rho[p] ?? 0),
      };
    }
  }
  return { strategy: 'ovo', classCount: k, machines };
}
