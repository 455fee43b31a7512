// The CLI runs the pipeline in-process (one thread, no pool): it is a
// short-lived tool, not the server's event loop.
import { readFileSync } from 'node:fs';
import { loadEngineConfigOrExit, type EngineConfig } from '../config.js';
import { pipelineConfigFrom } from '../vision/pack-config.js';
import { FacePipeline } from '../engine/face-pipeline.js';
import type { DetectedFace, FrameAnalysis } from '../vision/types.js';

export interface CliContext {
  config: EngineConfig;
  pipeline: FacePipeline;
}

export async function openPipeline(): Promise<CliContext> {
  const config = loadEngineConfigOrExit();
  const pipeline = await FacePipeline.create(pipelineConfigFrom(config));
  return { config, pipeline };
}

export function readImage(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** The face a one-person photo is about: highest detector score, then the largest. */
export function mainFace(analysis: FrameAnalysis): DetectedFace | undefined {
  const size = (f: DetectedFace): number => f.box[2] - f.box[0];
  return [...analysis.faces].sort((a, b) => b.score - a.score || size(b) - size(a))[0];
}

/** An expected failure: printed as one line, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;
