// The real face engine for tests that need faces without a server: the
// worker pool with the default models (`npm run models:fetch`).
import { resolve } from 'node:path';
import { PoolFaceEngine } from '../../src/engine/pool-face-engine.js';
import type { PipelineConfig } from '../../src/vision/pack-config.js';

export const testPipelineConfig: PipelineConfig = {
  pack: { kind: 'faceplugin', dir: resolve(process.cwd(), 'models/faceplugin') },
  intraOpThreads: 1,
  detectionThreshold: 0.7,
  maxImagePixels: 40_000_000,
};

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
