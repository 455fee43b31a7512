// The shape of an ONNX model as protobufjs decodes it with models/onnx.proto:
// just the fields our offline patches read or write (onnx-patch.ts,
// onnx-conv-rewrites.ts); the decoded objects carry every other field along.
export interface Dim {
  dimValue?: number | { toNumber(): number };
  dimParam?: string;
}
export interface ValueInfo {
  name: string;
  type?: { tensorType?: { shape?: { dim: Dim[] } } };
}
export interface Tensor {
  name: string;
  dataType: number;
  dims: (number | { toNumber(): number })[];
  rawData?: Uint8Array;
  floatData?: number[];
}
export interface Attribute {
  name: string;
  /** AttributeProto.AttributeType (2 = INT). */
  type?: number;
  /** An int64: a Long when long.js is present, else a number. */
  i?: number | { toNumber(): number };
  ints?: (number | { toNumber(): number })[];
  t?: Tensor;
}
export interface Node {
  name?: string;
  opType: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: Attribute[];
}
export interface Graph {
  node: Node[];
  initializer: Tensor[];
  input: ValueInfo[];
  output: ValueInfo[];
  valueInfo: ValueInfo[];
}
export interface Model {
  graph: Graph;
}

export const FLOAT = 1;
export const INT64 = 7;

/** Copy into an aligned ArrayBuffer (decoded bytes are views into the file). */
export function aligned(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

export function numberOf(v: number | { toNumber(): number }): number {
  return typeof v === 'number' ? v : v.toNumber();
}

export function dimsOf(t: Tensor): number[] {
  return t.dims.map(numberOf);
}

/** A float tensor's values (a copy). */
export function floatsOf(t: Tensor): Float32Array {
  if (t.dataType !== FLOAT) {
    throw new TypeError(`tensor ${t.name} is not float32 (data type ${t.dataType})`);
  }
  return t.rawData && t.rawData.length > 0 ? new Float32Array(aligned(t.rawData)) : Float32Array.from(t.floatData ?? []);
}

/** Replaces a float tensor's dims and values (stored as raw_data). */
export function setFloats(t: Tensor, dims: readonly number[], values: Float32Array): void {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== values.length) {
    throw new RangeError(`tensor ${t.name}: ${values.length} values for dims [${dims.join(', ')}]`);
  }
  t.dataType = FLOAT;
  t.dims = [...dims];
  t.rawData = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  delete t.floatData;
}

export function attributeInt(n: Node, name: string, fallback: number): number {
  const a = n.attribute.find((x) => x.name === name);
  return a?.i === undefined ? fallback : numberOf(a.i);
}
