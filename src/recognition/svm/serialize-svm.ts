// Compact binary form of an SvmModel for the database:
//   "FSVM" | u32 version | u32 header length | JSON header | pad to 8 |
//   f32 support vectors | per machine: f64 bias, f64 plattA, f64 plattB, u32 count, u32 pad, u32[count] idx, f32[count] coef, pad to 8.
// Support vectors and coefficients are Float32 in memory too, so a round trip predicts identically.
import { employeeId } from '../../domain/ids.js';
import type { SvmMachine, SvmModel } from './types.js';

const MAGIC = 0x4d565346; // "FSVM" little-endian
const VERSION = 1;

interface Header {
  modelId: string;
  kernel: SvmModel['kernel'];
  gamma: number;
  C: number;
  strategy: SvmModel['strategy'];
  dim: number;
  classes: number[];
  svCount: number;
  machineCount: number;
}

const pad8 = (n: number): number => (n + 7) & ~7;

export function serializeSvm(model: SvmModel): Uint8Array {
  const header: Header = {
    modelId: model.modelId,
    kernel: model.kernel,
    gamma: model.gamma,
    C: model.C,
    strategy: model.strategy,
    dim: model.dim,
    classes: [...model.classes],
    svCount: model.svCount,
    machineCount: model.machines.length,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const svStart = pad8(12 + json.length);
  let size = svStart + pad8(model.supportVectors.byteLength);
  for (const m of model.machines) {
    size += 32 + pad8(m.svIndex.length * 8);
  }
  const buf = new Uint8Array(size);
  const view = new DataView(buf.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  buf.set(json, 12);
  buf.set(new Uint8Array(model.supportVectors.buffer, model.supportVectors.byteOffset, model.supportVectors.byteLength), svStart);
  let off = svStart + pad8(model.supportVectors.byteLength);
  for (const m of model.machines) {
    view.setFloat64(off, m.bias, true);
    view.setFloat64(off + 8, m.plattA, true);
    view.setFloat64(off + 16, m.plattB, true);
    view.setUint32(off + 24, m.svIndex.length, true);
    off += 32;
    buf.set(new Uint8Array(m.svIndex.buffer, m.svIndex.byteOffset, m.svIndex.byteLength), off);
    buf.set(new Uint8Array(m.coef.buffer, m.coef.byteOffset, m.coef.byteLength), off + m.svIndex.length * 4);
    off += pad8(m.svIndex.length * 8);
  }
  return buf;
}

export function deserializeSvm(bytes: Uint8Array): SvmModel {
  // Copy to an aligned buffer: a Buffer from the database may start at any byte offset.
  const buf = Uint8Array.from(bytes);
  const view = new DataView(buf.buffer);
  if (buf.length < 12 || view.getUint32(0, true) !== MAGIC) {
    throw new Error('not a serialized SVM model (bad magic)');
  }
  const version = view.getUint32(4, true);
  if (version !== VERSION) {
    throw new Error(`unsupported SVM model version ${version}`);
  }
  const jsonLen = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + jsonLen))) as Header;
  let off = pad8(12 + jsonLen);
  const need = (bytes: number): void => {
    if (off + bytes > buf.length) {
      throw new Error('truncated SVM model');
    }
  };
  const svLen = header.svCount * header.dim;
  need(svLen * 4);
  const supportVectors = new Float32Array(buf.buffer.slice(off, off + svLen * 4));
  off += pad8(svLen * 4);
  const machines: SvmMachine[] = [];
  for (let i = 0; i < header.machineCount; i++) {
    need(32);
    const bias = view.getFloat64(off, true);
    const plattA = view.getFloat64(off + 8, true);
    const plattB = view.getFloat64(off + 16, true);
    const count = view.getUint32(off + 24, true);
    off += 32;
    need(count * 8);
    const svIndex = new Uint32Array(buf.buffer.slice(off, off + count * 4));
    const coef = new Float32Array(buf.buffer.slice(off + count * 4, off + count * 8));
    off += pad8(count * 8);
    machines.push({ svIndex, coef, bias, plattA, plattB });
  }
  return {
    modelId: header.modelId,
    kernel: header.kernel,
    gamma: header.gamma,
    C: header.C,
    strategy: header.strategy,
    dim: header.dim,
    classes: header.classes.map(employeeId),
    supportVectors,
    svCount: header.svCount,
    machines,
  };
}
