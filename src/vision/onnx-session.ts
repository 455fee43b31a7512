// ONNX Runtime sessions tuned for these machines: a fixed number of intra-op
// threads per worker and no spinning (idle spinning threads steal the other
// core: an end-to-end run went from 47 ms to 111 ms, STACK.md).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';

export type Session = ort.InferenceSession;
export { ort };

export interface SessionOptions {
  intraOpThreads: number;
}

export async function createSession(model: string | Uint8Array, opts: SessionOptions): Promise<Session> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: opts.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, options)
    : ort.InferenceSession.create(model, options);
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Fixed dims of a session input (undefined for symbolic ones). */
export function inputShape(session: Session, index = 0): (number | undefined)[] {
  const meta = session.inputMetadata[index];
  if (!meta || !meta.isTensor) {
    return [];
  }
  return meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : undefined));
}

export function outputShape(session: Session, index = 0): (number | undefined)[] {
  const meta = session.outputMetadata[index];
  if (!meta || !meta.isTensor) {
    return [];
  }
  return meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : undefined));
}

export function tensorData(result: ort.InferenceSession.OnnxValueMapType, name: string): Float32Array {
  const t = result[name];
  if (!t || !(t.data instanceof Float32Array)) {
    throw new Error(`model output "${name}" missing or not float32`);
  }
  return t.data;
}
