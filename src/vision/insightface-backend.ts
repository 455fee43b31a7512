// InsightFace packs (buffalo_l, buffalo_s, antelopev2) from a folder the user
// names: SCRFD detector with five keypoints + ArcFace recognizer. Processing
// as in insightface/python-package (model_zoo/scrfd.py, arcface_onnx.py):
// detector input top-left letterboxed, RGB (v-127.5)/128; recognizer RGB
// (v-127.5)/127.5 on the 112x112 aligned crop.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { modelPackId, type ModelPackId } from '../domain/ids.js';
import { computeLetterbox, unletterboxBox, unletterboxPoint } from './letterbox.js';
import { nms } from './nms.js';
import { createSession, inputShape, ort, outputShape, tensorData, type Session } from './onnx-session.js';
import { elapsed, type FaceCandidate, type PackBackend, type StageTimings } from './pack-backend.js';
import { l2Normalise } from './pixels.js';
import { letterboxChw } from './letterbox-chw.js';
import { toChw, type Raster } from './raster.js';
import { decodeScrfd, scrfdLayout, type ScrfdLayout } from './scrfd-decode.js';
import type { FivePoints, Point } from './types.js';

const CROP = 112;
const NMS_IOU = 0.4;
const DEFAULT_DET_SIZE = 640;

export interface InsightFaceOptions {
  /** Folder holding the pack's .onnx files (e.g. ~/.insightface/models/buffalo_l). */
  dir: string;
  intraOpThreads: number;
  detectionThreshold: number;
}

const DETECTOR_NAME = /(^det_|scrfd)/i;
const RECOGNIZER_NAME = /(w600k|glint|arcface|ms1m|webface|_r\d+|mbf)/i;

/** Picks the detector and recognizer files by InsightFace's naming. */
export function findPackFiles(dir: string): { detector: string; recognizer: string } {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.onnx'));
  } catch {
    throw new Error(`InsightFace pack folder ${dir} not found`);
  }
  const detector = names.find((f) => DETECTOR_NAME.test(f));
  const recognizer = names.find((f) => f !== detector && RECOGNIZER_NAME.test(f));
  if (!detector || !recognizer) {
    throw new Error(
      `InsightFace pack ${dir}: need an SCRFD detector (det_*.onnx / scrfd*.onnx) and an ArcFace recognizer ` +
        `(w600k_*.onnx / glintr100.onnx ...); found ${names.join(', ') || 'no .onnx files'}`,
    );
  }
  return { detector: join(dir, detector), recognizer: join(dir, recognizer) };
}

/** Stable id from the recognizer file: templates of different recognizers must never be compared. */
function recognizerId(dir: string, path: string): ModelPackId {
  // Hash the size and the first and last MiB: hashing a 250 MB file per worker start is slow.
  const size = statSync(path).size;
  const h = createHash('sha256').update(String(size));
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, 1 << 20));
    readSync(fd, buf, 0, buf.length, 0);
    h.update(buf);
    readSync(fd, buf, 0, buf.length, Math.max(0, size - buf.length));
    h.update(buf);
  } finally {
    closeSync(fd);
  }
  return modelPackId(`insightface-${basename(dir)}-${basename(path, '.onnx')}-${h.digest('hex').slice(0, 12)}`);
}

export class InsightFaceBackend implements PackBackend {
  private constructor(
    readonly modelId: ModelPackId,
    readonly embeddingSize: number,
    private readonly detector: Session,
    private readonly recognizer: Session,
    private readonly layout: ScrfdLayout,
    private readonly detWidth: number,
    private readonly detHeight: number,
    private readonly recognizerBatch: boolean,
    private readonly threshold: number,
  ) {}

  static async create(opts: InsightFaceOptions): Promise<InsightFaceBackend> {
    const files = findPackFiles(opts.dir);
    return InsightFaceBackend.fromFiles(files.detector, files.recognizer, opts, recognizerId(opts.dir, files.recognizer));
  }

  static async fromFiles(
    detectorFile: string | Uint8Array,
    recognizerFile: string | Uint8Array,
    opts: Omit<InsightFaceOptions, 'dir'>,
    id: ModelPackId,
  ): Promise<InsightFaceBackend> {
    const [detector, recognizer] = await Promise.all([
      createSession(detectorFile, { intraOpThreads: opts.intraOpThreads }),
      createSession(recognizerFile, { intraOpThreads: opts.intraOpThreads }),
    ]);
    const layout = scrfdLayout(detector.outputNames);
    if (!layout.hasKeypoints) {
      throw new Error('SCRFD detector without keypoints (6 or 10 outputs): alignment needs the 5 keypoints');
    }
    const detShape = inputShape(detector);
    const recShape = inputShape(recognizer);
    if (recShape[2] !== CROP || recShape[3] !== CROP) {
      throw new Error(`recognizer input is ${recShape.join('x')}, expected [N,3,112,112]`);
    }
    const embeddingSize = outputShape(recognizer)[1];
    if (!embeddingSize) {
      throw new Error('recognizer output has no fixed embedding size');
    }
    return new InsightFaceBackend(
      id,
      embeddingSize,
      detector,
      recognizer,
      layout,
      detShape[3] ?? DEFAULT_DET_SIZE,
      detShape[2] ?? DEFAULT_DET_SIZE,
      recShape[0] !== 1,
      opts.detectionThreshold,
    );
  }

  async detect(image: Raster, timings: StageTimings): Promise<FaceCandidate[]> {
    const t = performance.now();
    const W = this.detWidth;
    const H = this.detHeight;
    const lb = computeLetterbox(image.width, image.height, W, H, 'top-left');
    const data = new Float32Array(3 * W * H);
    letterboxChw(image, lb, { mean: 127.5, std: 128, order: 'rgb' }, 0, data);
    const out = await this.detector.run({
      [this.detector.inputNames[0]!]: new ort.Tensor('float32', data, [1, 3, H, W]),
    });
    const L = this.layout;
    const candidates = decodeScrfd(
      L.strides.map((stride, k) => ({
        stride,
        scores: tensorData(out, L.scores[k]!),
        boxes: tensorData(out, L.boxes[k]!),
        keypoints: tensorData(out, L.keypoints[k]!),
      })),
      W,
      H,
      L.anchorsPerLocation,
      this.threshold,
    );
    const boxes = candidates.map((c) => unletterboxBox(lb, ...c.box));
    const kept = nms(
      boxes,
      candidates.map((c) => c.score),
      NMS_IOU,
    );
    const faces = kept.map((i): FaceCandidate => {
      const c = candidates[i]!;
      const box = boxes[i]!;
      const side = Math.max(box[2] - box[0], box[3] - box[1]);
      const cx = (box[0] + box[2]) / 2;
      const cy = (box[1] + box[3]) / 2;
      const points = c.keypoints!.map((p): Point => unletterboxPoint(lb, p[0], p[1])) as unknown as FivePoints;
      return { box, squareBox: [cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2], score: c.score, points };
    });
    timings.detect = elapsed(t);
    timings.landmarks = 0;
    return faces;
  }

  async embed(crops: readonly Raster[]): Promise<Float32Array[]> {
    if (crops.length === 0) {
      return [];
    }
    if (!this.recognizerBatch && crops.length > 1) {
      const out: Float32Array[] = [];
      for (const c of crops) {
        out.push(...(await this.embed([c])));
      }
      return out;
    }
    const plane = 3 * CROP * CROP;
    const data = new Float32Array(crops.length * plane);
    crops.forEach((c, k) => toChw(c, { mean: 127.5, std: 127.5, order: 'rgb' }, data, k * plane));
    const out = await this.recognizer.run({
      [this.recognizer.inputNames[0]!]: new ort.Tensor('float32', data, [crops.length, 3, CROP, CROP]),
    });
    const all = tensorData(out, this.recognizer.outputNames[0]!);
    const d = this.embeddingSize;
    return crops.map((_, k) => l2Normalise(all.slice(k * d, (k + 1) * d)));
  }

  async close(): Promise<void> {
    await Promise.all([this.detector.release(), this.recognizer.release()]);
  }
}
