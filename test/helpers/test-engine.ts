// The real face engine for tests that need faces without a server: the
// worker pool with the default models (`npm run models:fetch`).
import { PoolFaceEngine } from '../../src/engine/pool-face-engine.js';
import type { PipelineConfig } from '../../src/vision/pack-config.js';
import { pipelineConfig } from '../vision/helpers/faces.js';

/** The default pack, one intra-op thread: the same settings as the in-process vision tests. */
export const testPipelineConfig: PipelineConfig = pipelineConfig;

export function startTestEngine(
  options: { workers?: number; queueLimit?: number; pipeline?: PipelineConfig } = {},
): Promise<PoolFaceEngine> {
  return PoolFaceEngine.create({
    pipeline: options.pipeline ?? testPipelineConfig,
    workers: options.workers ?? 2,
    queueLimit: options.queueLimit ?? 64,
    taskTimeoutMs: 20_000,
  });
}
