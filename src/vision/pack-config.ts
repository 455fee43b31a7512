// Which model pack to load, as plain data (it travels to workers as workerData).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';

export type PackConfig =
  /** A pack with a committed manifest under MODELS_DIR (the default faceplugin pack). */
  | { kind: 'faceplugin'; dir: string }
  /** An InsightFace folder (buffalo_l, buffalo_s, antelopev2) the user supplies. */
  | { kind: 'insightface'; dir: string };

export interface PipelineConfig {
  pack: PackConfig;
  intraOpThreads: number;
  detectionThreshold: number;
  maxImagePixels: number;
  /**
   * The faceplugin folder whose manifest names fr_liveness.onnx (the passive liveness model,
   * also used with an InsightFace pack); absent = no liveness (LIVENESS_MODE=off).
   */
  livenessPackDir?: string;
}

export function packConfigFrom(config: Pick<Config, 'MODEL_PACK' | 'MODELS_DIR' | 'INSIGHTFACE_DIR'>): PackConfig {
  if (config.INSIGHTFACE_DIR && config.MODEL_PACK !== 'faceplugin') {
    const base = resolve(config.INSIGHTFACE_DIR);
    // Accept both ~/.insightface/models (pack in a subfolder) and the pack folder itself.
    const sub = join(base, config.MODEL_PACK);
    return { kind: 'insightface', dir: existsSync(sub) ? sub : base };
  }
  return { kind: 'faceplugin', dir: resolve(config.MODELS_DIR, config.MODEL_PACK) };
}

export function pipelineConfigFrom(
  config: Pick<
    Config,
    | 'MODEL_PACK'
    | 'MODELS_DIR'
    | 'INSIGHTFACE_DIR'
    | 'WORKER_INTRA_OP_THREADS'
    | 'DETECTION_THRESHOLD'
    | 'MAX_IMAGE_PIXELS'
    | 'LIVENESS_MODE'
  >,
): PipelineConfig {
  const pack = packConfigFrom(config);
  return {
    pack,
    intraOpThreads: config.WORKER_INTRA_OP_THREADS,
    detectionThreshold: config.DETECTION_THRESHOLD,
    maxImagePixels: config.MAX_IMAGE_PIXELS,
    ...(config.LIVENESS_MODE === 'off'
      ? {}
      : { livenessPackDir: pack.kind === 'faceplugin' ? pack.dir : resolve(config.MODELS_DIR, 'faceplugin') }),
  };
}
