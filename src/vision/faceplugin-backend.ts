// The default pack (faceplugin-face-recognition-js models), following the
// recipe measured in STACK.md: letterboxed 320x240 RGB (v-127)/128 detector
// with decoded outputs, 68-point landmarks on the grey 64x64 square crop,
// BGR (v-127)/128 embedder.
import { modelPackId, type ModelPackId } from '../domain/ids.js';
import { fivePointsFrom68 } from './align.js';
import { computeLetterbox, unletterboxBox } from './letterbox.js';
import { modelPathIn, readManifest, type ModelFileSpec } from './model-manifest.js';
import { nms } from './nms.js';
import { createSession, ort, tensorData, type Session } from './onnx-session.js';
import { elapsed, squareByHeight, type FaceCandidate, type PackBackend, type StageTimings } from './pack-backend.js';
import { l2Normalise } from './pixels.js';
import { letterboxChw } from './letterbox-chw.js';
import { cropSquare, grey, toChw, type Raster } from './raster.js';
import type { Box } from './types.js';

const DET_W = 320;
const DET_H = 240;
const LANDMARK_SIZE = 64;
const CROP = 112;
const NMS_IOU = 0.4;

export interface FacepluginOptions {
  packDir: string;
  intraOpThreads: number;
  detectionThreshold: number;
  /** Check sha256 of the files against the manifest (default true). */
  verify?: boolean;
}

async function open(packDir: string, spec: ModelFileSpec, opts: FacepluginOptions, threads = opts.intraOpThreads): Promise<Session> {
  return createSession(modelPathIn(packDir, spec, opts.verify !== false), { intraOpThreads: threads });
}

export class FacepluginBackend implements PackBackend {
  /** The detector's input tensor, reused from frame to frame (230 k floats). */
  private detInput: Float32Array | undefined;

  private constructor(
    readonly modelId: ModelPackId,
    readonly embeddingSize: number,
    private readonly detector: Session,
    private readonly landmarks: Session,
    private readonly embedder: Session,
    private readonly threshold: number,
  ) {}

  static async create(opts: FacepluginOptions): Promise<FacepluginBackend> {
    const manifest = readManifest(opts.packDir);
    const [detector, landmarks, embedder] = await Promise.all([
      open(opts.packDir, manifest.models.detector, opts),
      // One thread: the landmark model runs in ~0.3 ms, and splitting it costs more than it
      // saves (landmarks stage 0.93 -> 1.17 ms with 2 threads, measured).
      open(opts.packDir, manifest.models.landmarks, opts, 1),
      open(opts.packDir, manifest.models.embedder, opts),
    ]);
    return new FacepluginBackend(
      modelPackId(manifest.id),
      manifest.embeddingSize,
      detector,
      landmarks,
      embedder,
      opts.detectionThreshold,
    );
  }

  async detect(image: Raster, timings: StageTimings): Promise<FaceCandidate[]> {
    let t = performance.now();
    const lb = computeLetterbox(image.width, image.height, DET_W, DET_H, 'center');
    // Mid-grey padding: 0 after normalisation, so it reads as "nothing" to the detector.
    // Taken, not shared: a second task running in this worker at the same time allocates its own.
    const data = this.detInput ?? new Float32Array(3 * DET_W * DET_H);
    this.detInput = undefined;
    letterboxChw(image, lb, { mean: 127, std: 128, order: 'rgb' }, 127, data);
    const out = await this.detector.run({ input: new ort.Tensor('float32', data, [1, 3, DET_H, DET_W]) });
    this.detInput = data;
    const scores = tensorData(out, 'scores');
    const boxes = tensorData(out, 'boxes');
    const found: Box[] = [];
    const foundScores: number[] = [];
    for (let i = 0; i < scores.length / 2; i++) {
      const s = scores[2 * i + 1]!;
      if (s >= this.threshold) {
        found.push(
          unletterboxBox(
            lb,
            boxes[4 * i]! * DET_W,
            boxes[4 * i + 1]! * DET_H,
            boxes[4 * i + 2]! * DET_W,
            boxes[4 * i + 3]! * DET_H,
          ),
        );
        foundScores.push(s);
      }
    }
    const kept = nms(found, foundScores, NMS_IOU);
    timings.detect = elapsed(t);
    if (kept.length === 0) {
      timings.landmarks = 0;
      return [];
    }

    t = performance.now();
    const squares = kept.map((i) => squareByHeight(found[i]!));
    const plane = LANDMARK_SIZE * LANDMARK_SIZE;
    const lmInput = new Float32Array(kept.length * plane);
    squares.forEach((sq, k) => {
      const g = grey(cropSquare(image, sq[0], sq[1], sq[2] - sq[0], LANDMARK_SIZE));
      for (let i = 0; i < plane; i++) {
        lmInput[k * plane + i] = g[i]! / 256;
      }
    });
    const lmOut = await this.landmarks.run({
      input: new ort.Tensor('float32', lmInput, [kept.length, 1, LANDMARK_SIZE, LANDMARK_SIZE]),
    });
    const pts = tensorData(lmOut, 'output');
    const faces = kept.map((i, k): FaceCandidate => {
      const sq = squares[k]!;
      const side = sq[2] - sq[0];
      const flat = new Float64Array(136);
      for (let p = 0; p < 68; p++) {
        flat[2 * p] = sq[0] + pts[136 * k + 2 * p]! * side;
        flat[2 * p + 1] = sq[1] + pts[136 * k + 2 * p + 1]! * side;
      }
      return { box: found[i]!, squareBox: sq, score: foundScores[i]!, points: fivePointsFrom68(flat), landmarks68: flat };
    });
    timings.landmarks = elapsed(t);
    return faces;
  }

  async embed(crops: readonly Raster[]): Promise<Float32Array[]> {
    if (crops.length === 0) {
      return [];
    }
    const plane = 3 * CROP * CROP;
    const data = new Float32Array(crops.length * plane);
    crops.forEach((c, k) => toChw(c, { mean: 127, std: 128, order: 'bgr' }, data, k * plane));
    const out = await this.embedder.run({ input: new ort.Tensor('float32', data, [crops.length, 3, CROP, CROP]) });
    const all = tensorData(out, 'output');
    const d = this.embeddingSize;
    return crops.map((_, k) => l2Normalise(all.slice(k * d, (k + 1) * d)));
  }

  async close(): Promise<void> {
    await Promise.all([this.detector.release(), this.landmarks.release(), this.embedder.release()]);
  }
}
