// Platt parameters of every machine, fitted on the cross-validation decision values of the chosen
// grid point (held-out scores, so the probabilities are not overconfident like training-set scores).
import { DEFAULT_PLATT, fitPlatt, type PlattParams } from './platt.js';
import type { SvmStrategy } from './types.js';

export function calibrateMachines(
  cvDecisions: Float64Array,
  machineCount: number,
  classOf: Int32Array,
  classCount: number,
  strategy: SvmStrategy,
  onMachine?: (done: number, total: number) => void,
): PlattParams[] {
  const n = classOf.length;
  const dec = new Float64Array(n);
  const pos: boolean[] = new Array<boolean>(n);
  const params: PlattParams[] = [];
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  classOf.forEach((c, i) => byClass[c]?.push(i));
  const collect = (m: number, members: Iterable<number>, isPositive: (i: number) => boolean): number => {
    let count = 0;
    for (const i of members) {
      const f = cvDecisions[i * machineCount + m] as number;
      if (!Number.isNaN(f)) {
        dec[count] = f;
        pos[count] = isPositive(i);
        count++;
      }
    }
    return count;
  };
  if (strategy === 'ovr') {
    const all = Array.from({ length: n }, (_, i) => i);
    for (let c = 0; c < machineCount; c++) {
      const count = collect(c, all, (i) => classOf[i] === c);
      params.push(count > 0 ? fitPlatt(dec, pos, count) : DEFAULT_PLATT);
      onMachine?.(c + 1, machineCount);
    }
    return params;
  }
  let m = 0;
  for (let a = 0; a < classCount; a++) {
    for (let b = a + 1; b < classCount; b++, m++) {
      const count = collect(m, [...(byClass[a] ?? []), ...(byClass[b] ?? [])], (i) => classOf[i] === a);
      params.push(count > 0 ? fitPlatt(dec, pos, count) : DEFAULT_PLATT);
    }
    if (a < classCount - 1) {
      onMachine?.(m, machineCount);
    }
  }
  return params;
}
