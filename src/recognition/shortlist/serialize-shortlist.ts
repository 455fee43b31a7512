// Compact binary form of a ShortlistModel for the database:
//   "FSLM" | u32 version | u32 header length | JSON header | pad to 8 |
//   f32 weights (machines x dim, in header.classes order) | f64 biases (machines).
// Weights are Float32 in memory too, so a round trip decides identically.
import { employeeId } from '../../domain/ids.js';
import type { PlattParams } from '../svm/platt.js';
import type { LocalProblemOptions } from './local-problem.js';
import type { EmployeeMachine, ShortlistModel } from './shortlist-model.js';

export const SHORTLIST_MAGIC = 0x4d4c5346; // "FSLM" little-endian
const VERSION = 1;

interface Header {
  modelId: string;
  dim: number;
  C: number;
  platt: PlattParams;
  local: LocalProblemOptions;
  cap: number;
  classes: number[];
  neighbours: number[][];
}

const pad8 = (n: number): number => (n + 7) & ~7;

export function serializeShortlist(model: ShortlistModel): Uint8Array<ArrayBuffer> {
  const entries = [...model.machines.entries()].sort((a, b) => a[0] - b[0]);
  const header: Header = {
    modelId: model.modelId,
    dim: model.dim,
    C: model.C,
    platt: model.platt,
    local: model.local,
    cap: model.cap,
    classes: entries.map(([id]) => id),
    neighbours: entries.map(([, m]) => [...m.neighbours]),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const wStart = pad8(12 + json.length);
  const wBytes = entries.length * model.dim * 4;
  const bStart = wStart + pad8(wBytes);
  const buf = new Uint8Array(bStart + entries.length * 8);
  const view = new DataView(buf.buffer);
  view.setUint32(0, SHORTLIST_MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  buf.set(json, 12);
  const weights = new Float32Array(buf.buffer, wStart, entries.length * model.dim);
  entries.forEach(([, m], i) => {
    weights.set(m.w, i * model.dim);
    view.setFloat64(bStart + i * 8, m.bias, true);
  });
  return buf;
}

export function deserializeShortlist(bytes: Uint8Array): ShortlistModel {
  // Copy to an aligned buffer: a Buffer from the database may start at any byte offset.
  const buf = Uint8Array.from(bytes);
  const view = new DataView(buf.buffer);
  if (buf.length < 12 || view.getUint32(0, true) !== SHORTLIST_MAGIC) {
    throw new Error('not a serialized shortlist model (bad magic)');
  }
  const version = view.getUint32(4, true);
  if (version !== VERSION) {
    throw new Error(`unsupported shortlist model version ${version}`);
  }
  const jsonLen = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + jsonLen))) as Header;
  const wStart = pad8(12 + jsonLen);
  const n = header.classes.length;
  const bStart = wStart + pad8(n * header.dim * 4);
  if (bStart + n * 8 > buf.length) {
    throw new Error('truncated shortlist model');
  }
  const machines = new Map<ReturnType<typeof employeeId>, EmployeeMachine>();
  header.classes.forEach((id, i) => {
    machines.set(employeeId(id), {
      w: new Float32Array(buf.buffer.slice(wStart + i * header.dim * 4, wStart + (i + 1) * header.dim * 4)),
      bias: view.getFloat64(bStart + i * 8, true),
      neighbours: (header.neighbours[i] ?? []).map(employeeId),
    });
  });
  return { kind: 'shortlist', modelId: header.modelId, dim: header.dim, C: header.C, platt: header.platt, local: header.local, cap: header.cap, machines };
}
