// A test seam at the FaceEngine boundary, for the one thing these machines
// cannot provide: a real 3D head turning in front of a camera (the shared
// faces are still photos). It wraps the real engine; every analyze call that
// asks for the 68 landmarks takes the next queued synthetic set (a 3D head
// model projected by a pinhole camera, head-model.ts), placed on the real
// face's box. Everything else (detection, embedding, passive liveness,
// recognition, attendance) stays real.
import type { EngineStats, FaceEngine, RawFrame } from '../../src/engine/face-engine.js';
import type { AnalyzeOptions, FrameAnalysis } from '../../src/vision/types.js';

export class LandmarkSeamEngine implements FaceEngine {
  private readonly queue: Float64Array[] = [];
  constructor(private readonly inner: FaceEngine) {}

  get modelId(): FaceEngine['modelId'] {
    return this.inner.modelId;
  }
  get embeddingSize(): number {
    return this.inner.embeddingSize;
  }

  /** The landmarks the next landmark-asking analyze call reports for its largest face. */
  push(points: Float64Array): void {
    this.queue.push(points);
  }

  get pending(): number {
    return this.queue.length;
  }

  async analyze(image: Uint8Array, options?: AnalyzeOptions): Promise<FrameAnalysis> {
    const analysis = await this.inner.analyze(image, options);
    const points = options?.landmarks68 ? this.queue.shift() : undefined;
    const face = [...analysis.faces].sort((a, b) => b.box[3] - b.box[1] - (a.box[3] - a.box[1]))[0];
    if (points && face) {
      face.landmarks68 = placeOn(points, face.box);
    }
    return analysis;
  }

  analyzeRaw(frame: RawFrame, options?: AnalyzeOptions): Promise<FrameAnalysis> {
    return this.inner.analyzeRaw(frame, options);
  }
  embedAligned(crops: Uint8Array[], options?: { signal?: AbortSignal }): Promise<Float32Array[]> {
    return this.inner.embedAligned(crops, options);
  }
  augmentAndEmbed(crops: Uint8Array[], count: number, seeds: number[], options?: { signal?: AbortSignal }): Promise<Float32Array[]> {
    if (!this.inner.augmentAndEmbed) {
      throw new Error('inner engine cannot augment');
    }
    return this.inner.augmentAndEmbed(crops, count, seeds, options);
  }
  stats(): EngineStats {
    return this.inner.stats();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The synthetic points moved and scaled (one similarity for all) so the jaw line spans the box. */
function placeOn(points: Float64Array, box: readonly [number, number, number, number]): Float64Array {
  const xs = points.filter((_, i) => i % 2 === 0);
  const ys = points.filter((_, i) => i % 2 === 1);
  const [minX, maxX, minY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys)];
  const k = (box[2] - box[0]) / (maxX - minX);
  return points.map((v, i) => (i % 2 === 0 ? box[0] + (v - minX) * k : box[1] + (v - minY) * k));
}
