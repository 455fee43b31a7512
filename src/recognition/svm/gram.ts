// Gram matrix of unit vectors, computed once per training: every kernel of the grid search
// (RBF for any gamma, linear) is a function of these dot products, so no fit recomputes them.
import { dotRows } from './vectors.js';

export interface Gram {
  n: number;
  /** Row-major n x n dot products, symmetric. */
  dots: Float64Array;
}

/**
 * Upper triangle in 4 x 4 tiles: each pass over k loads 8 floats and does 16 multiply-adds
 * (register blocking, ~2-3x a dot-product-per-pair loop in V8); the lower triangle is mirrored.
 */
export function computeGram(rows: Float32Array, n: number, dim: number, onRows?: (done: number, total: number) => void): Gram {
  const dots = new Float64Array(n * n);
  const set = (i: number, j: number, d: number): void => {
    dots[i * n + j] = d;
    dots[j * n + i] = d;
  };
  const n4 = n - (n % 4);
  for (let i = 0; i < n4; i += 4) {
    const a0 = i * dim;
    const a1 = a0 + dim;
    const a2 = a1 + dim;
    const a3 = a2 + dim;
    for (let j = i; j < n4; j += 4) {
      const b0 = j * dim;
      const b1 = b0 + dim;
      const b2 = b1 + dim;
      const b3 = b2 + dim;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0; k < dim; k++) {
        const x0 = rows[a0 + k] as number;
        const x1 = rows[a1 + k] as number;
        const x2 = rows[a2 + k] as number;
        const x3 = rows[a3 + k] as number;
        const y0 = rows[b0 + k] as number;
        const y1 = rows[b1 + k] as number;
        const y2 = rows[b2 + k] as number;
        const y3 = rows[b3 + k] as number;
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
      }
      set(i, j, s00); set(i, j + 1, s01); set(i, j + 2, s02); set(i, j + 3, s03);
      set(i + 1, j, s10); set(i + 1, j + 1, s11); set(i + 1, j + 2, s12); set(i + 1, j + 3, s13);
      set(i + 2, j, s20); set(i + 2, j + 1, s21); set(i + 2, j + 2, s22); set(i + 2, j + 3, s23);
      set(i + 3, j, s30); set(i + 3, j + 1, s31); set(i + 3, j + 2, s32); set(i + 3, j + 3, s33);
    }
    onRows?.(i + 4, n);
  }
  // The last n % 4 rows against everything.
  for (let i = n4; i < n; i++) {
    for (let j = 0; j < n; j++) {
      set(i, j, dotRows(rows, i, rows, j, dim));
    }
  }
  if (n4 < n) {
    onRows?.(n, n);
  }
  return { n, dots };
}
