// Rewrites ONNX model files with protobufjs and the schema in models/onnx.proto.
// Used by scripts/fetch-models.ts (to write the derived, patched faceplugin
// files) and by tests (to build stand-in models); the server itself only reads
// the patched files, so protobufjs stays a dev dependency.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { padDepthwiseChannels, preluAsDepthwise } from './onnx-conv-rewrites.js';
import { aligned, FLOAT, INT64, type Model, type Tensor } from './onnx-proto-types.js';

const PROTO_PATH = fileURLToPath(new URL('../../models/onnx.proto', import.meta.url));

let root: protobuf.Root | undefined;
export function onnxRoot(): protobuf.Root {
  root ??= protobuf.loadSync(PROTO_PATH);
  return root;
}

export function modelType(): protobuf.Type {
  return onnxRoot().lookupType('onnx.ModelProto');
}

const FLT_MIN = 1.1754943508222875e-38;

function zeroDenormalsIn(t: Tensor): number {
  if (t.dataType !== FLOAT) {
    return 0;
  }
  let count = 0;
  if (t.rawData && t.rawData.length > 0) {
    const values = new Float32Array(aligned(t.rawData));
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== 0 && Math.abs(v) < FLT_MIN) {
        values[i] = 0;
        count++;
      }
    }
    if (count > 0) {
      t.rawData = new Uint8Array(values.buffer);
    }
  } else if (t.floatData) {
    t.floatData = t.floatData.map((v) => {
      if (v !== 0 && Math.abs(v) < FLT_MIN) {
        count++;
        return 0;
      }
      return v;
    });
  }
  return count;
}

export interface PatchReport {
  denormalsZeroed: number;
  batchInputs: string[];
  reshapesRelaxed: number;
  depthwisePadded: number;
  preluRewritten: number;
}

export interface PatchOptions {
  /** Set subnormal float weights to 0: they push ONNX Runtime's kernels onto a slow path (4x). */
  zeroDenormals?: boolean;
  /** Make dim 0 of every graph input and output symbolic ('batch'), so several faces run in one call. */
  symbolicBatch?: boolean;
  /** Pad depthwise convs' channels to the NCHWc block (onnx-conv-rewrites.ts); outputs unchanged. */
  padDepthwise?: boolean;
  /** PRelu as 1x1 depthwise convs ORT keeps in NCHWc (onnx-conv-rewrites.ts); outputs equal to float rounding. */
  preluDepthwise?: boolean;
}

export function patchModel(bytes: Uint8Array, opts: PatchOptions): { bytes: Uint8Array; report: PatchReport } {
  const type = modelType();
  const model = type.decode(bytes) as unknown as Model;
  const g = model.graph;
  const report: PatchReport = { denormalsZeroed: 0, batchInputs: [], reshapesRelaxed: 0, depthwisePadded: 0, preluRewritten: 0 };
  if (opts.zeroDenormals) {
    for (const t of g.initializer) {
      report.denormalsZeroed += zeroDenormalsIn(t);
    }
    for (const n of g.node) {
      for (const a of n.attribute) {
        if (a.t) {
          report.denormalsZeroed += zeroDenormalsIn(a.t);
        }
      }
    }
  }
  if (opts.symbolicBatch) {
    const initNames = new Set(g.initializer.map((t) => t.name));
    for (const v of [...g.input, ...g.output]) {
      if (initNames.has(v.name)) {
        continue;
      }
      const dim = v.type?.tensorType?.shape?.dim[0];
      if (dim) {
        delete dim.dimValue;
        dim.dimParam = 'batch';
        report.batchInputs.push(v.name);
      }
    }
    // Intermediate shapes recorded for batch 1 would contradict the new input.
    g.valueInfo = [];
    // A Reshape to a constant [1, ...] (flatten before the embedding) would fold
    // the batch into one row; 0 means "copy this dimension from the input".
    const inits = new Map(g.initializer.map((t) => [t.name, t]));
    for (const n of g.node) {
      const shape = n.opType === 'Reshape' ? inits.get(n.input[1] ?? '') : undefined;
      if (shape?.dataType === INT64 && shape.rawData && shape.rawData.length >= 8) {
        const dims = new BigInt64Array(aligned(shape.rawData));
        if (dims[0] === 1n) {
          dims[0] = 0n;
          shape.rawData = new Uint8Array(dims.buffer);
          report.reshapesRelaxed++;
        }
      }
    }
  }
  // Padding first: the PRelu rewrite then reads the padded slopes (and its own 1x1 convs get the padded width).
  if (opts.padDepthwise) {
    report.depthwisePadded = padDepthwiseChannels(g);
  }
  if (opts.preluDepthwise) {
    report.preluRewritten = preluAsDepthwise(g);
  }
  return { bytes: type.encode(type.fromObject(model)).finish(), report };
}
