// The per-worker face pipeline: decode -> detect (+ landmarks) -> align ->
// quality -> embed (batched over the faces of a frame), and, when asked, the
// passive liveness score of each face. Holds the ONNX
// sessions of one model pack (+ the liveness model). CPU-bound JS and ONNX inside: the face workers
// run it (worker-entry.ts); the CLI and the tests also run it in-process.
import type { ModelPackId } from '../domain/ids.js';
import type { RawFrame } from './face-engine.js';
import { alignmentTransform } from '../vision/align.js';
import { FacepluginBackend } from '../vision/faceplugin-backend.js';
import { ImageDecodeError } from '../vision/image-errors.js';
import { decodeImage, encodeJpeg, rasterFromBgr } from '../vision/image-decode.js';
import { InsightFaceBackend } from '../vision/insightface-backend.js';
import type { PackBackend, StageTimings } from '../vision/pack-backend.js';
import { elapsed, squareByHeight } from '../vision/pack-backend.js';
import type { PipelineConfig } from '../vision/pack-config.js';
import { assessQuality } from '../vision/quality.js';
import { warpAffine, type Raster } from '../vision/raster.js';
import type { AnalyzeOptions, Box, DetectedFace, FrameAnalysis } from '../vision/types.js';
import { livenessCropRect } from '../vision/liveness-crop.js';
import { LivenessModel } from '../vision/liveness-model.js';

const CROP = 112;
const LIVENESS_THREADS = 1;
const RAW_CROP_BYTES = CROP * CROP * 3;

/** AnalyzeOptions without the signal (which cannot cross a worker boundary). */
export type PipelineAnalyzeOptions = Omit<AnalyzeOptions, 'signal'>;

export class FacePipeline {
  private constructor(
    private readonly backend: PackBackend,
    private readonly maxImagePixels: number,
    private readonly liveness: LivenessModel | undefined,
  ) {}

  static async create(config: PipelineConfig): Promise<FacePipeline> {
    const common = { intraOpThreads: config.intraOpThreads, detectionThreshold: config.detectionThreshold };
    const [backend, liveness] = await Promise.all([
      config.pack.kind === 'faceplugin'
        ? FacepluginBackend.create({ packDir: config.pack.dir, ...common })
        : InsightFaceBackend.create({ dir: config.pack.dir, ...common }),
      // One intra-op thread whatever the embedder has: this small model is no faster in wall time on
      // two (its layers are too small to split) and takes ~25% more CPU (bench/face-engine.bench.ts).
      // onnxruntime-node runs a session synchronously on the worker's thread (its backend wraps the
      // native run in setImmediate), so the two models take turns, never overlap.
      config.livenessPackDir === undefined ? undefined : LivenessModel.fromPack(config.livenessPackDir, LIVENESS_THREADS),
    ]);
    return new FacePipeline(backend, config.maxImagePixels, liveness);
  }

  /** For tests and tools that build a backend themselves (e.g. stand-in models). */
  static fromBackend(backend: PackBackend, maxImagePixels: number, liveness?: LivenessModel): FacePipeline {
    return new FacePipeline(backend, maxImagePixels, liveness);
  }

  /** Whether faces can be scored for liveness (LIVENESS_MODE != off and the model loaded). */
  get hasLiveness(): boolean {
    return this.liveness !== undefined;
  }

  get modelId(): ModelPackId {
    return this.backend.modelId;
  }

  get embeddingSize(): number {
    return this.backend.embeddingSize;
  }

  /** Encoded JPEG/PNG/WebP bytes in; throws ImageDecodeError for bad input. */
  async analyzeImage(bytes: Uint8Array, opts: PipelineAnalyzeOptions = {}): Promise<FrameAnalysis> {
    const t = performance.now();
    const image = await decodeImage(bytes, this.maxImagePixels);
    return this.analyzeRaster(image, opts, { decode: elapsed(t) });
  }

  /** Packed BGR camera frame in. */
  async analyzeRaw(frame: RawFrame, opts: PipelineAnalyzeOptions = {}): Promise<FrameAnalysis> {
    return this.analyzeRaster(rasterFromBgr(frame.data, frame.rows, frame.cols), opts, { decode: 0 });
  }

  async analyzeRaster(image: Raster, opts: PipelineAnalyzeOptions = {}, timings: StageTimings = {}): Promise<FrameAnalysis> {
    let candidates = await this.backend.detect(image, timings);
    if (opts.minFaceSize !== undefined) {
      const min = opts.minFaceSize;
      candidates = candidates.filter((c) => c.squareBox[2] - c.squareBox[0] >= min);
    }
    candidates.sort((a, b) => b.score - a.score);
    if (opts.maxFaces !== undefined) {
      candidates = candidates.slice(0, Math.max(0, opts.maxFaces));
    }

    let t = performance.now();
    const crops = candidates.map((c) => warpAffine(image, alignmentTransform(c.points, CROP), CROP));
    timings.align = elapsed(t);

    // The crops' JPEGs (snapshots) are encoded by sharp in libuv threads while the embedder
    // runs: ~1.5 ms a face that used to come before the embedding.
    const encoding = opts.alignedCrops ? Promise.all(crops.map((c) => encodeJpeg(c))) : undefined;
    encoding?.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
    t = performance.now();
    const faces: DetectedFace[] = candidates.map((c, k) => {
      const face: DetectedFace = {
        box: c.box,
        score: c.score,
        landmarks: c.points,
        ...(opts.landmarks68 && c.landmarks68 ? { landmarks68: c.landmarks68 } : {}),
        quality: assessQuality({
          crop: crops[k]!,
          box: c.box,
          faceSize: c.squareBox[2] - c.squareBox[0],
          points: c.points,
          imageWidth: image.width,
          imageHeight: image.height,
        }),
      };
      return face;
    });
    timings.quality = elapsed(t);

    // Passive liveness for the faces asked (~2.5 ms of CPU a face with the crop, the derived model
    // of onnx-conv-rewrites.ts: bench/face-engine.bench.ts); started first, it runs before the
    // embedder (a session run holds the worker's thread).
    const scoring =
      opts.liveness && this.liveness && candidates.length > 0 ? this.scoreLiveness(image, candidates.map((c) => c.box), timings) : undefined;
    scoring?.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
    if (opts.embed !== false && crops.length > 0) {
      t = performance.now();
      const embeddings = await this.backend.embed(crops);
      embeddings.forEach((e, k) => {
        faces[k]!.embedding = e;
      });
      timings.embed = elapsed(t);
    }
    if (scoring) {
      (await scoring).forEach((p, k) => {
        faces[k]!.liveness = p;
        faces[k]!.livenessContext = livenessContext(candidates[k]!.box, image.width, image.height);
      });
    }
    if (encoding) {
      t = performance.now();
      (await encoding).forEach((jpeg, k) => {
        faces[k]!.alignedJpeg = jpeg;
      });
      timings.quality += elapsed(t); // what the encoding still took after the embedding
    }
    return { width: image.width, height: image.height, modelId: this.backend.modelId, faces, timings };
  }

  private async scoreLiveness(image: Raster, boxes: Box[], timings: StageTimings): Promise<number[]> {
    const t = performance.now();
    const scores = await this.liveness!.score(image, boxes);
    timings.liveness = elapsed(t);
    return scores;
  }

  /**
   * Embeds aligned 112x112 crops: encoded images (the `alignedJpeg` of a face,
   * possibly augmented) or packed BGR bytes (112*112*3).
   */
  async embedAligned(crops: readonly Uint8Array[]): Promise<Float32Array[]> {
    const rasters = await Promise.all(
      crops.map(async (bytes, i) => {
        const r =
          bytes.byteLength === RAW_CROP_BYTES ? rasterFromBgr(bytes, CROP, CROP) : await decodeImage(bytes, CROP * CROP);
        if (r.width !== CROP || r.height !== CROP) {
          throw new ImageDecodeError('INVALID_IMAGE', `aligned crop ${i} is ${r.width}x${r.height}, expected 112x112`);
        }
        return r;
      }),
    );
    return this.backend.embed(rasters);
  }

  async close(): Promise<void> {
    await Promise.all([this.backend.close(), this.liveness?.close()]);
  }
}

/** The liveness crop's side over the face box's side: 2.7 asked, less when the face fills the picture. */
function livenessContext(box: Box, width: number, height: number): number {
  const rect = livenessCropRect(box, width, height);
  const square = squareByHeight(box);
  return Math.round((Math.min(rect.width, rect.height) / (square[3] - square[1])) * 1000) / 1000;
}
