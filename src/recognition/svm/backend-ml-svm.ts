// ml-svm (mljs): binary simplified SMO in plain JS, trained one-vs-rest. It is handed the precomputed
// kernel through a custom kernel object over sample indices (features = [index]), so it never
// recomputes 512-d dot products; its own O(m^2)-per-pass SMO remains the slow part.
import { createRequire } from 'node:module';
import type { FittedMachine, FitRequest, MulticlassFit, SvmBackend } from './backend.js';
import { createRng } from '../../math/seeded-random.js';

interface MlSvmInstance {
  train(features: number[][], labels: number[]): void;
  alphas: number[];
  Y: number[];
  b: number;
  _supportVectorIdx: number[];
}
type MlSvmClass = new (options: Record<string, unknown>) => MlSvmInstance;

const require = createRequire(import.meta.url);

export function createMlSvmBackend(): SvmBackend {
  const SVM = require('ml-svm') as MlSvmClass;
  return { name: 'ml-svm', strategy: 'ovr', fit: (req) => fitOneVsRest(SVM, req) };
}

function fitOneVsRest(SVM: MlSvmClass, req: FitRequest): MulticlassFit {
  const { n, kernel, train } = req;
  const features = Array.from(train, (g) => [g]);
  const precomputed = { compute: (a: number[], b: number[]): number => kernel[(a[0] as number) * n + (b[0] as number)] as number };
  const present = new Set(Array.from(train, (g) => req.classOf[g] as number));
  const machines: (FittedMachine | null)[] = [];
  for (let c = 0; c < req.classCount; c++) {
    if (!present.has(c) || present.size < 2) {
      machines.push(null);
      continue;
    }
    const labels = Array.from(train, (g) => (req.classOf[g] === c ? 1 : -1));
    const svm = new SVM({
      C: req.C,
      kernel: precomputed,
      whitening: false,
      random: createRng(req.seed + c),
      maxIterations: 100_000,
    });
    svm.train(features, labels);
    machines.push({
      sv: Int32Array.from(svm._supportVectorIdx, (t) => train[t] as number),
      coef: Float64Array.from(svm.alphas, (a, t) => a * (svm.Y[t] as number)),
      bias: svm.b,
    });
  }
  return { strategy: 'ovr', classCount: req.classCount, machines };
}
