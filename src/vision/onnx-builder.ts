// A minimal ONNX model encoder: enough of onnx.proto (ModelProto, GraphProto,
// NodeProto, AttributeProto, TensorProto, ValueInfoProto) to build small
// graphs at run time (the gallery search matmul) and in tests (stand-in
// models with the right input/output names). Hand-written protobuf wire
// encoding so the server needs no protobuf runtime dependency.
// Field numbers follow github.com/onnx/onnx/blob/main/onnx/onnx.proto.

/** TensorProto.DataType values used here. */
export const OnnxType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  FLOAT16: 10,
} as const;
export type OnnxTypeCode = (typeof OnnxType)[keyof typeof OnnxType];

/** A dimension: a fixed size or a symbolic name (e.g. 'batch'). */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  type: OnnxTypeCode;
  shape: readonly OnnxDim[];
}

export interface OnnxTensor {
  name: string;
  type: OnnxTypeCode;
  dims: readonly number[];
  /** Little-endian element bytes (raw_data), e.g. new Uint8Array(float32Array.buffer). */
  data: Uint8Array;
}

export type OnnxAttribute =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'ints'; value: readonly number[] }
  | { name: string; kind: 'string'; value: string }
  | { name: string; kind: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** Operator domain: '' (default ai.onnx) or e.g. 'com.microsoft'. */
  domain?: string;
  attributes?: readonly OnnxAttribute[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  initializers?: readonly OnnxTensor[];
}

export interface OnnxModelOptions {
  /** Opset per domain; default { '': 17 }. */
  opsets?: Readonly<Record<string, number>>;
  /** IR version; 8 matches opset 17 and is read by every current ONNX Runtime. */
  irVersion?: number;
  producerName?: string;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_INTS = 7;

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LEN = 2;

const utf8 = new TextEncoder();

/** Protobuf writer that collects chunks; nested messages are encoded first, then length-prefixed. */
class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: number): void {
    // int64 fields carry only small non-negative values here (dims, versions, attrs);
    // negative ints (e.g. axis -1) use the 10-byte two's complement form.
    const out: number[] = [];
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) {
        byte |= 0x80;
      }
      out.push(byte);
    } while (v !== 0n);
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) {
    w.int(1, d); // dims
  }
  w.int(2, t.type); // data_type
  w.string(8, t.name); // name
  w.bytes(9, t.data); // raw_data
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.type); // elem_type
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

function writeAttribute(w: ProtoWriter, a: OnnxAttribute): void {
  w.string(1, a.name);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value).int(20, ATTR_FLOAT);
      break;
    case 'int':
      w.int(3, a.value).int(20, ATTR_INT);
      break;
    case 'string':
      w.string(4, a.value).int(20, ATTR_STRING);
      break;
    case 'tensor':
      w.message(5, (t) => writeTensor(t, a.value)).int(20, ATTR_TENSOR);
      break;
    case 'ints':
      for (const v of a.value) {
        w.int(8, v);
      }
      w.int(20, ATTR_INTS);
      break;
  }
}

function writeNode(w: ProtoWriter, n: OnnxNode, index: number): void {
  for (const i of n.inputs) {
    w.string(1, i);
  }
  for (const o of n.outputs) {
    w.string(2, o);
  }
  w.string(3, n.name ?? `${n.opType}_${index}`);
  w.string(4, n.opType);
  for (const a of n.attributes ?? []) {
    w.message(5, (aw) => writeAttribute(aw, a));
  }
  if (n.domain) {
    w.string(7, n.domain);
  }
}

/** Encodes a ModelProto; the bytes can go straight to InferenceSession.create(). */
export function encodeOnnxModel(graph: OnnxGraph, options: OnnxModelOptions = {}): Uint8Array {
  const opsets = options.opsets ?? { '': 17 };
  const model = new ProtoWriter();
  model.int(1, options.irVersion ?? 8); // ir_version
  model.string(2, options.producerName ?? 'face-attendance'); // producer_name
  model.message(7, (g) => {
    graph.nodes.forEach((n, i) => g.message(1, (nw) => writeNode(nw, n, i)));
    g.string(2, graph.name);
    for (const t of graph.initializers ?? []) {
      g.message(5, (tw) => writeTensor(tw, t));
    }
    for (const v of graph.inputs) {
      g.message(11, (vw) => writeValueInfo(vw, v));
    }
    for (const v of graph.outputs) {
      g.message(12, (vw) => writeValueInfo(vw, v));
    }
  });
  for (const [domain, version] of Object.entries(opsets)) {
    model.message(8, (o) => {
      if (domain) {
        o.string(1, domain);
      }
      o.int(2, version);
    });
  }
  return model.finish();
}

/** Little-endian bytes of a typed array, without copying. */
export function bytesOf(a: Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
