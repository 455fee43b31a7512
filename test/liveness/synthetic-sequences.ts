// Challenge frames from the synthetic head and sheets of head-model.ts: the
// yaw path a person (or someone turning a photo) follows for a sequence of
// turns, sampled at 8 frames per second, with landmark jitter, a stand-in
// embedding per person and a passive score.
import type { TurnDirection } from '../../src/liveness/challenge.js';
import type { ChallengeFrame } from '../../src/liveness/decision.js';
import { createRng, headPoints, jitter, project, sheetPoints, type HeadShape, type Sheet } from './head-model.js';

export type Subject = { kind: 'head'; shape?: HeadShape } | { kind: 'sheet'; sheet: Sheet };

/** Yaw in degrees over time: frontal, then each turn out to `peak` and back, `msPerTurn` each. */
export function yawPath(steps: readonly TurnDirection[], peak: number, msPerTurn = 1500, fps = 8): { t: number; yaw: number }[] {
  const out: { t: number; yaw: number }[] = [];
  const dt = 1000 / fps;
  for (let t = 0; t < 500; t += dt) {
    out.push({ t, yaw: 0 });
  }
  steps.forEach((s, k) => {
    const sign = s === 'left' ? 1 : -1;
    for (let u = 0; u < msPerTurn; u += dt) {
      out.push({ t: 500 + k * msPerTurn + u, yaw: sign * peak * Math.sin((Math.PI * u) / msPerTurn) });
    }
  });
  return out;
}

/** A unit "embedding" per person: similar (cosine ~0.9) from frame to frame. */
export function embeddingOf(person: number, frame: number): Float32Array {
  const rng = createRng(person * 1000 + 1);
  const base = Array.from({ length: 64 }, () => rng() - 0.5);
  const noise = createRng(person * 7919 + frame + 17);
  const v = Float32Array.from(base, (x) => x + 0.1 * (noise() - 0.5));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

export interface SequenceOptions {
  start: number;
  /** Degrees the head (or sheet) turns at the peak of each turn. */
  peak?: number;
  msPerTurn?: number;
  sigmaPx?: number;
  seed?: number;
  liveness?: number;
  /** From this frame on, someone else (identity check). */
  swapAt?: number;
}

export function challengeFrames(subject: Subject, steps: readonly TurnDirection[], o: SequenceOptions): ChallengeFrame[] {
  const rng = createRng(o.seed ?? 1);
  return yawPath(steps, o.peak ?? 30, o.msPerTurn).map(({ t, yaw }, i) => {
    const pts = subject.kind === 'head' ? headPoints({ yaw }, subject.shape) : sheetPoints(subject.sheet, { yaw });
    return {
      at: o.start + t,
      landmarks: jitter(project(pts), o.sigmaPx ?? 1, rng),
      embedding: embeddingOf(o.swapAt !== undefined && i >= o.swapAt ? 2 : 1, i),
      liveness: o.liveness ?? 0.8,
    };
  });
}
