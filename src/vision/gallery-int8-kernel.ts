// The int8 scan kernel of the gallery search: one WebAssembly function (SIMD128) that scores a
// query against every int8 code row of a block. Why WebAssembly and not ONNX Runtime's
// MatMulInteger (the previous kernel): a 1 x 512 by 512 x 100k product is a matrix-vector
// product, for which MLAS re-packs the whole gallery and pads the single query column to its
// tile width on every call: 8-10 ms per 100k rows on this machine, where reading the 51 MB of
// codes once takes ~2 ms. This loop reads each code byte once, straight from the block's shared
// memory (no copy, no per-worker mirror), and any number of rows works (no stride constraint).
//
// Hand-assembled (no wasm toolchain in the stack): the function below, in WebAssembly text:
//
//   (func $scan (param $q i32) (param $codes i32) (param $inv i32) (param $out i32)
//               (param $count i32) (param $stride i32)          ;; stride = code bytes per row, % 64 == 0
//     for r in 0..count:
//       acc0..acc3 = 0 (i32x4)
//       for j in 0..stride step 32:                             ;; 32 code bytes per turn, two v128 loads
//         v = v128.load(codes + r*stride + j) ...
//         acc += i32x4.dot_i16x8_s(i16x8.extend_{low,high}_i8x16_s(v), q16[j..])
//       out[r] = f32(sum of lanes) * inv[r]
//
// The query is stored as int16 (2 bytes per code byte): dot_i16x8_s then multiplies and adds pairs
// with no overflow (|code| <= 127, |q| <= 127: 512 x 16129 fits an i32 many times over).

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) {
      byte |= 0x80;
    }
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

// Opcodes (core and SIMD proposal, https://webassembly.github.io/spec/core/binary/instructions.html).
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32Eqz: [0x45],
  i32LtU: [0x49],
  i32Add: [0x6a],
  i32Shl: [0x74],
  f32Load: [0x2a, 2, 0],
  f32Store: [0x38, 2, 0],
  f32ConvertI32S: [0xb2],
  f32Mul: [0x94],
  simd: (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm],
};
const v128Load = (offset: number): number[] => op.simd(0x00, 4, ...uleb(offset)); // align 2^4
const v128Zero = op.simd(0x0c, ...new Array<number>(16).fill(0));
const extendLow = op.simd(135); // i16x8.extend_low_i8x16_s
const extendHigh = op.simd(136); // i16x8.extend_high_i8x16_s
const dotI16 = op.simd(186); // i32x4.dot_i16x8_s
const addI32x4 = op.simd(174); // i32x4.add
const lane = (i: number): number[] => op.simd(27, i); // i32x4.extract_lane

// Parameters and locals.
const Q = 0;
const CODES = 1;
const INV = 2;
const OUT = 3;
const COUNT = 4;
const STRIDE = 5;
const R = 6; // row index
const PJ = 7; // address of the code bytes of this loop turn
const QJ = 8; // address of the query's int16 for those bytes
const END = 9; // end of the current row's codes
const ACC0 = 10;
const ACC1 = 11;
const V = 12;

/** acc (+)= dot(extend_{low|high}(v), the query's int16 at QJ + qOff) */
function accumulate(acc: number, half: number[], qOff: number): number[] {
  return [...op.get(acc), ...op.get(V), ...half, ...op.get(QJ), ...v128Load(qOff), ...dotI16, ...addI32x4, ...op.set(acc)];
}

/** 16 code bytes at PJ + off against their 16 query values: two dot products into ACC0 / ACC1. */
function step(off: number): number[] {
  return [...op.get(PJ), ...v128Load(off), ...op.set(V), ...accumulate(ACC0, extendLow, off * 2), ...accumulate(ACC1, extendHigh, off * 2 + 16)];
}

function scanBody(): number[] {
  const code = [
    ...op.block,
    ...op.get(COUNT),
    ...op.i32Eqz,
    ...op.brIf(0),
    ...op.i32Const(0),
    ...op.set(R),
    ...op.get(CODES),
    ...op.set(PJ),
    ...op.loop, // rows
    ...v128Zero,
    ...op.set(ACC0),
    ...v128Zero,
    ...op.set(ACC1),
    ...op.get(Q),
    ...op.set(QJ),
    ...op.get(PJ),
    ...op.get(STRIDE),
    ...op.i32Add,
    ...op.set(END),
    // Pointers advance once per turn; the loads use constant offsets (no address arithmetic per step).
    ...op.loop, // 64 code bytes per turn
    ...step(0),
    ...step(16),
    ...step(32),
    ...step(48),
    ...op.get(QJ),
    ...op.i32Const(128),
    ...op.i32Add,
    ...op.set(QJ),
    ...op.get(PJ),
    ...op.i32Const(64),
    ...op.i32Add,
    ...op.tee(PJ),
    ...op.get(END),
    ...op.i32LtU,
    ...op.brIf(0),
    ...op.end,
    // out[r] = f32(horizontal sum) * inv[r]; PJ is now the next row's start.
    ...op.get(OUT),
    ...op.get(R),
    ...op.i32Const(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.get(ACC0),
    ...op.get(ACC1),
    ...addI32x4,
    ...op.tee(V),
    ...lane(0),
    ...op.get(V),
    ...lane(1),
    ...op.i32Add,
    ...op.get(V),
    ...lane(2),
    ...op.i32Add,
    ...op.get(V),
    ...lane(3),
    ...op.i32Add,
    ...op.f32ConvertI32S,
    ...op.get(INV),
    ...op.get(R),
    ...op.i32Const(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.f32Load,
    ...op.f32Mul,
    ...op.f32Store,
    // next row
    ...op.get(R),
    ...op.i32Const(1),
    ...op.i32Add,
    ...op.tee(R),
    ...op.get(COUNT),
    ...op.i32LtU,
    ...op.brIf(0),
    ...op.end,
    ...op.end, // block
    ...op.end, // function
  ];
  const locals = [2, ...uleb(4), I32, ...uleb(3), V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const type = [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0];
  // Imports env.memory: shared, min 0, max 65536 pages (any block memory fits).
  const memoryImport = [1, ...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(0), ...uleb(65536)];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, type),
    ...section(2, memoryImport),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('scan'), 0x00, 0]),
    ...section(10, [1, ...scanBody()]),
  ]);
}

let compiled: WebAssembly.Module | undefined;

/** The compiled kernel (compiled once per thread; instances are per block memory). */
export function int8KernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(moduleBytes());
  return compiled;
}

export type ScanFn = (q: number, codes: number, inv: number, out: number, count: number, stride: number) => void;

/** The scan function bound to one block's memory. */
export function int8Kernel(memory: WebAssembly.Memory): ScanFn {
  const instance = new WebAssembly.Instance(int8KernelModule(), { env: { memory } });
  return instance.exports.scan as ScanFn;
}
