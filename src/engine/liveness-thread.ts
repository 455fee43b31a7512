// Passive liveness beside the embedder: each face worker keeps its liveness
// model in a thread of its own (a one-worker WorkerPool), hands it the faces'
// 128x128 crops (moved, not copied) and runs the embedder meanwhile. The
// recognized face then waits for the longer of the two, not their sum
// (bench/face-engine.bench.ts: "liveness added per face"); the CPU is the same.
// The crops are cut here, where the image is (liveness-crop.ts).
import { livenessCrop } from '../vision/liveness-crop.js';
import type { Raster } from '../vision/raster.js';
import type { Box } from '../vision/types.js';
import { WorkerPool } from './pool/worker-pool.js';

export interface LivenessTask {
  crops: Raster[];
}

export class LivenessThread {
  private constructor(private readonly pool: WorkerPool<LivenessTask, number[]>) {}

  /** Starts the thread and loads the pack's liveness model (sha256 checked); throws when it cannot. */
  static async start(packDir: string): Promise<LivenessThread> {
    const pool = new WorkerPool<LivenessTask, number[]>({
      workerFile: new URL(`./liveness-thread-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
      size: 1,
      // One frame's faces at a time come from this face worker; a few may queue behind a slow one.
      queueLimit: 64,
      taskTimeoutMs: 30_000,
      workerData: { packDir },
      name: 'liveness',
    });
    try {
      await pool.ready();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return new LivenessThread(pool);
  }

  /** P(live) of each face, given the detector boxes in `image` pixels. Cut now; scored on the thread. */
  score(image: Raster, detectorBoxes: readonly Box[]): Promise<number[]> {
    const crops = detectorBoxes.map((box) => livenessCrop(image, box));
    return this.pool.run({ crops }, { transfer: crops.map((c) => c.data.buffer as ArrayBuffer) });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
