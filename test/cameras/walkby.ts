// The shared walk-by video and its ground truth, for camera tests and benchmarks.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CameraRunner } from '../../src/cameras/camera-runner.js';
import { FACES_DIR } from '../helpers/shared-faces.js';

export const WALKBY_MP4 = resolve(FACES_DIR, 'video/walkby.mp4');
export const WALKBY_CSV = resolve(FACES_DIR, 'video/walkby.csv');

export interface WalkbySegment {
  startMs: number;
  endMs: number;
  /** Names left to right; empty when nobody is in view. */
  people: string[];
}

export function readWalkby(): WalkbySegment[] {
  const lines = readFileSync(WALKBY_CSV, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [start, end, faces = ''] = line.split(',');
    return {
      startMs: Number(start) * 1000,
      endMs: Number(end) * 1000,
      people: faces.trim() === '' ? [] : faces.trim().split(';'),
    };
  });
}

export function peopleAt(segments: readonly WalkbySegment[], ms: number): string[] {
  return segments.find((s) => ms >= s.startMs && ms < s.endMs)?.people ?? [];
}

/** Waits until a started runner has read the whole (non-looping) video, then until its last frame is processed. */
export async function playToEnd(runner: Pick<CameraRunner, 'info' | 'idle'>, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = Date.now();
  while (runner.info().stoppedReason !== 'ended') {
    if (Date.now() - started > timeoutMs) {
      throw new Error('the video did not end');
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 50));
  }
  await runner.idle();
}
