// Paths to the shared test photos (never copied into the repo) and the default pack.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFaceLabels, type FaceLabel } from '../../../src/cli/pairs.js';
import type { PipelineConfig } from '../../../src/vision/pack-config.js';
import { FACES_DIR } from '../../helpers/shared-faces.js';

export const SAMPLES_DIR = fileURLToPath(new URL('../../../node_modules/@vladmandic/face-api/demo/', import.meta.url));
export const FACEPLUGIN_DIR = fileURLToPath(new URL('../../../models/faceplugin', import.meta.url));

export const pipelineConfig: PipelineConfig = {
  pack: { kind: 'faceplugin', dir: FACEPLUGIN_DIR },
  intraOpThreads: 1,
  detectionThreshold: 0.7,
  maxImagePixels: 40_000_000,
  livenessPackDir: FACEPLUGIN_DIR,
};

export type LabelledPhoto = FaceLabel;

export function labelledPhotos(): LabelledPhoto[] {
  return parseFaceLabels(readFileSync(`${FACES_DIR}labels.csv`, 'utf8'));
}

export const readFace = (file: string): Uint8Array => readFileSync(`${FACES_DIR}${file}`);
