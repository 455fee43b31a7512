// Paths to the shared test photos (never copied into the repo) and the default pack.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PipelineConfig } from '../../../src/vision/pack-config.js';

export const FACES_DIR = fileURLToPath(new URL('../../../../shared/faces/', import.meta.url));
export const SAMPLES_DIR = fileURLToPath(new URL('../../../node_modules/@vladmandic/face-api/demo/', import.meta.url));
export const FACEPLUGIN_DIR = fileURLToPath(new URL('../../../models/faceplugin', import.meta.url));

export const pipelineConfig: PipelineConfig = {
  pack: { kind: 'faceplugin', dir: FACEPLUGIN_DIR },
  intraOpThreads: 1,
  detectionThreshold: 0.7,
  maxImagePixels: 40_000_000,
};

export interface LabelledPhoto {
  file: string;
  people: string[];
}

export function labelledPhotos(): LabelledPhoto[] {
  return readFileSync(`${FACES_DIR}labels.csv`, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [file, people] = line.split(',');
      return { file: file!, people: people!.split(';') };
    });
}

export const readFace = (file: string): Uint8Array => readFileSync(`${FACES_DIR}${file}`);
