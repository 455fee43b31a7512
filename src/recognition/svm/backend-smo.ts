// Default backend: one-vs-one with the own SMO solver; each pair trains on ~2 x 40 samples of a
// precomputed kernel, so the 1,225 pairs of 50 employees fit in tens of milliseconds.
import { groupByClass, type FittedMachine, type FitRequest, type MulticlassFit, type SvmBackend } from './backend.js';
import { SmoSolver } from './smo-solver.js';

export function createSmoBackend(): SvmBackend {
  const solver = new SmoSolver();
  return { name: 'smo', strategy: 'ovo', fit: (req) => fitOneVsOne(solver, req) };
}

function fitOneVsOne(solver: SmoSolver, req: FitRequest): MulticlassFit {
  const k = req.classCount;
  const groups = groupByClass(req.train, req.classOf, k).map((g) => Int32Array.from(g));
  const machines: (FittedMachine | null)[] = [];
  const idx = new Int32Array(req.train.length);
  const y = new Int8Array(req.train.length);
  for (let a = 0; a < k; a++) {
    const ga = groups[a] ?? new Int32Array(0);
    for (let b = a + 1; b < k; b++) {
      const gb = groups[b] ?? new Int32Array(0);
      if (ga.length === 0 || gb.length === 0) {
        machines.push(null);
        continue;
      }
      const m = ga.length + gb.length;
      idx.set(ga, 0);
      idx.set(gb, ga.length);
      y.fill(1, 0, ga.length).fill(-1, ga.length, m);
      const sol = solver.solve({ kernel: req.kernel, n: req.n, idx: idx.subarray(0, m), y: y.subarray(0, m), C: req.C });
      machines.push({ sv: sol.sv, coef: sol.coef, bias: sol.bias });
    }
  }
  return { strategy: 'ovo', classCount: k, machines };
}
