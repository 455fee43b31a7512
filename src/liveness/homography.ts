// Least-squares homography between two sets of 2D points, and how far the
// points stay from it. A flat (or gently bent) photo turned in front of a
// camera moves its printed landmarks by a homography; a real head's landmarks
// sit at different depths (nose tip in front, jaw line far behind) and leave
// a residual once the face turns.
//
// The fit is the normalised linear (DLT) estimate with h33 = 1: both point
// sets are first centred and scaled to mean distance sqrt(2) (Hartley), which
// keeps the 8x8 normal equations well conditioned. A dozen lines of Gaussian
// elimination rather than a matrix library: the system is always 8x8.

/** Row-major 3x3, h[8] = 1. */
export type Homography = Float64Array;

interface Normaliser {
  cx: number;
  cy: number;
  s: number;
}

function normaliser(p: ArrayLike<number>, idx: readonly number[]): Normaliser {
  let cx = 0;
  let cy = 0;
  for (const i of idx) {
    cx += p[2 * i]!;
    cy += p[2 * i + 1]!;
  }
  cx /= idx.length;
  cy /= idx.length;
  let d = 0;
  for (const i of idx) {
    d += Math.hypot(p[2 * i]! - cx, p[2 * i + 1]! - cy);
  }
  d /= idx.length;
  return { cx, cy, s: d > 0 ? Math.SQRT2 / d : 1 };
}

/** Solves the n x n system m x = b in place (partial pivoting); undefined when singular. */
export function solveLinear(m: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) {
      if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) {
        pivot = r;
      }
    }
    if (Math.abs(m[pivot]![c]!) < 1e-12) {
      return undefined;
    }
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    [b[c], b[pivot]] = [b[pivot]!, b[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < n; k++) {
        m[r]![k]! -= f * m[c]![k]!;
      }
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) {
      s -= m[r]![k]! * x[k]!;
    }
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/**
 * The homography taking `src` points to `dst` points (flat [x0, y0, ...] arrays), fitted on the
 * points `idx` (default all); undefined for fewer than four points or a degenerate layout.
 */
export function fitHomography(src: ArrayLike<number>, dst: ArrayLike<number>, idx?: readonly number[]): Homography | undefined {
  const ids = idx ?? Array.from({ length: Math.floor(src.length / 2) }, (_, i) => i);
  if (ids.length < 4 || src.length !== dst.length) {
    return undefined;
  }
  const ns = normaliser(src, ids);
  const nd = normaliser(dst, ids);
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  const add = (row: number[], rhs: number): void => {
    for (let i = 0; i < 8; i++) {
      atb[i]! += row[i]! * rhs;
      for (let j = 0; j < 8; j++) {
        ata[i]![j]! += row[i]! * row[j]!;
      }
    }
  };
  for (const i of ids) {
    const x = (src[2 * i]! - ns.cx) * ns.s;
    const y = (src[2 * i + 1]! - ns.cy) * ns.s;
    const u = (dst[2 * i]! - nd.cx) * nd.s;
    const v = (dst[2 * i + 1]! - nd.cy) * nd.s;
    add([x, y, 1, 0, 0, 0, -u * x, -u * y], u);
    add([0, 0, 0, x, y, 1, -v * x, -v * y], v);
  }
  const h = solveLinear(ata, atb);
  if (!h) {
    return undefined;
  }
  // Undo the normalisations: H = Td^-1 * Hn * Ts.
  const hn = [...h, 1];
  const ts = [ns.s, 0, -ns.s * ns.cx, 0, ns.s, -ns.s * ns.cy, 0, 0, 1];
  const tdInv = [1 / nd.s, 0, nd.cx, 0, 1 / nd.s, nd.cy, 0, 0, 1];
  const out = mul3(tdInv, mul3(hn, ts));
  const k = out[8]!;
  if (Math.abs(k) < 1e-12) {
    return undefined;
  }
  return Float64Array.from(out, (v) => v / k);
}

function mul3(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[3 * r + c] = a[3 * r]! * b[c]! + a[3 * r + 1]! * b[3 + c]! + a[3 * r + 2]! * b[6 + c]!;
    }
  }
  return out;
}

export function applyHomography(h: Homography, x: number, y: number): [number, number] {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

/** Per-point transfer errors |H src_i - dst_i| in dst pixels for the points `idx`. */
export function transferErrors(h: Homography, src: ArrayLike<number>, dst: ArrayLike<number>, idx: readonly number[]): number[] {
  return idx.map((i) => {
    const [u, v] = applyHomography(h, src[2 * i]!, src[2 * i + 1]!);
    return Math.hypot(u - dst[2 * i]!, v - dst[2 * i + 1]!);
  });
}

export function rms(values: readonly number[]): number {
  return values.length === 0 ? 0 : Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
}
