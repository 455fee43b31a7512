// Builds tiny ONNX models with protobufjs + models/onnx.proto: stand-ins for
// the InsightFace files, with the same input/output names and shapes.
import { modelType } from '../../../src/vision/onnx-patch.js';

type Dim = number | string;
const FLOAT = 1;

const valueInfo = (name: string, shape: readonly Dim[]) => ({
  name,
  type: {
    tensorType: {
      elemType: FLOAT,
      shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  },
});

const floatTensor = (name: string, dims: readonly number[], data: Float32Array) => ({
  name,
  dims: [...dims],
  dataType: FLOAT,
  rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
});

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  ints?: Record<string, number[]>;
  int?: Record<string, number>;
}

export function encode(
  inputs: { name: string; shape: Dim[] }[],
  outputs: { name: string; shape: Dim[] }[],
  nodes: NodeSpec[],
  initializers: { name: string; dims: number[]; data: Float32Array }[],
): Uint8Array {
  const type = modelType();
  const model = type.fromObject({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'face-attendance-tests',
    graph: {
      name: 'stand-in',
      node: nodes.map((n, i) => ({
        name: `n${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: [
          ...Object.entries(n.ints ?? {}).map(([name, ints]) => ({ name, type: 7, ints })),
          ...Object.entries(n.int ?? {}).map(([name, i]) => ({ name, type: 2, i })),
        ],
      })),
      initializer: initializers.map((t) => floatTensor(t.name, t.dims, t.data)),
      input: inputs.map((i) => valueInfo(i.name, i.shape)),
      output: outputs.map((o) => valueInfo(o.name, o.shape)),
    },
  });
  return type.encode(model).finish();
}

export interface ScrfdFace {
  stride: 8 | 16 | 32;
  /** Grid cell and anchor (0 or 1). */
  col: number;
  row: number;
  anchor: number;
  score: number;
  /** Distances (left, top, right, bottom) in stride units. */
  distances: [number, number, number, number];
  /** Five keypoint offsets from the anchor centre, in stride units. */
  keypoints: [number, number][];
}

/**
 * SCRFD stand-in (det_10g / scrfd_10g_bnkps layout: 9 outputs, 2 anchors, 3
 * strides) whose outputs are constants (plus 0 * mean(input), so the input is
 * used). `names`: 'named' = score_8 ... kps_32, 'numeric' = buffalo-style.
 */
export function buildScrfd(size: number, faces: ScrfdFace[], names: 'named' | 'numeric'): Uint8Array {
  const strides = [8, 16, 32] as const;
  const outputs: { name: string; shape: Dim[] }[] = [];
  const nodes: NodeSpec[] = [
    { op: 'ReduceMean', inputs: ['input.1'], outputs: ['mean'], int: { keepdims: 0 } },
    { op: 'Mul', inputs: ['mean', 'zero'], outputs: ['zeroed'] },
  ];
  const inits = [{ name: 'zero', dims: [1], data: new Float32Array([0]) }];
  const kinds = [
    ['score', 1],
    ['bbox', 4],
    ['kps', 10],
  ] as const;
  let numeric = 400;
  for (const [kind, width] of kinds) {
    for (const stride of strides) {
      const n = (size / stride) * (size / stride) * 2;
      const data = new Float32Array(n * width);
      for (const f of faces.filter((x) => x.stride === stride)) {
        const i = (f.row * (size / stride) + f.col) * 2 + f.anchor;
        if (kind === 'score') {data[i] = f.score;}
        if (kind === 'bbox') {data.set(f.distances, 4 * i);}
        if (kind === 'kps') {data.set(f.keypoints.flat(), 10 * i);}
      }
      const name = names === 'named' ? `${kind}_${stride}` : String(numeric++);
      inits.push({ name: `c_${name}`, dims: [n, width], data });
      nodes.push({ op: 'Add', inputs: [`c_${name}`, 'zeroed'], outputs: [name] });
      outputs.push({ name, shape: [n, width] });
    }
  }
  return encode([{ name: 'input.1', shape: [1, 3, size, size] }], outputs, nodes, inits);
}

/**
 * ArcFace stand-in: input 'input.1' [batch,3,112,112] -> per-channel mean ->
 * MatMul with `weights` (3 x dim) -> output [batch, dim]. The embedding thus
 * reveals the channel order and normalisation the pipeline feeds it.
 */
export function buildArcFace(weights: Float32Array, dim: number): Uint8Array {
  return encode(
    [{ name: 'input.1', shape: ['None', 3, 112, 112] }],
    [{ name: '683', shape: ['None', dim] }],
    [
      { op: 'GlobalAveragePool', inputs: ['input.1'], outputs: ['gap'] },
      { op: 'Flatten', inputs: ['gap'], outputs: ['flat'], int: { axis: 1 } },
      { op: 'MatMul', inputs: ['flat', 'W'], outputs: ['683'] },
    ],
    [{ name: 'W', dims: [3, dim], data: weights }],
  );
}
