// Whether the yaw followed the challenge in time. The frames are read in the
// order the server received them:
// 1. a frontal frame first (|yaw| <= maxNeutral): the neutral pose that the
//    turns are measured from (a photo of a turned face never gets here);
// 2. for each step, the yaw (relative to neutral) reaches +-turn in the asked
//    direction; a turn as large the other way first is a refusal (so waving
//    a recording left and right does not pass);
// 3. back within +-centre before the next step;
// all before the deadline (later frames are ignored).
import type { Challenge, TurnDirection } from './challenge.js';
import type { Landmarks68 } from './landmarks.js';
import { yawProxy } from './yaw-proxy.js';

export interface SequenceThresholds {
  /** Yaw proxy change that counts as a turn (a head turned ~17° reaches 0.45). */
  turn: number;
  /** Back within this of neutral between turns. */
  centre: number;
  /** The neutral frame's own yaw proxy must be within this (frontal). */
  maxNeutral: number;
}

export const DEFAULT_SEQUENCE_THRESHOLDS: SequenceThresholds = { turn: 0.45, centre: 0.2, maxNeutral: 0.35 };

export interface PoseFrame {
  /** Server receive time, epoch ms. */
  at: number;
  landmarks: Landmarks68;
}

export interface FollowedStep {
  direction: TurnDirection;
  /** Index (into the frames given) of the frame where the turn peaked. */
  peak: number;
  yaw: number;
  at: number;
}

export type SequenceResult =
  | { kind: 'followed'; neutral: number; steps: FollowedStep[] }
  | {
      kind: 'not_followed';
      reason: 'no_neutral' | 'wrong_direction' | 'incomplete';
      detail: string;
      /** What was seen, for the 3D check and the report. */
      neutral: number | undefined;
      steps: FollowedStep[];
    };

const sign = (d: TurnDirection): number => (d === 'left' ? 1 : -1);

export function followSequence(challenge: Challenge, frames: readonly PoseFrame[], t: SequenceThresholds = DEFAULT_SEQUENCE_THRESHOLDS): SequenceResult {
  const inTime = frames
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.at >= challenge.issuedAt && f.at <= challenge.deadline)
    .sort((a, b) => a.f.at - b.f.at || a.i - b.i);
  const yaws = new Map(inTime.map(({ f, i }) => [i, yawProxy(f.landmarks)]));
  const neutralAt = inTime.find(({ i }) => Math.abs(yaws.get(i)!) <= t.maxNeutral);
  if (!neutralAt) {
    return { kind: 'not_followed', reason: 'no_neutral', detail: 'no frontal view of the face before the deadline', neutral: undefined, steps: [] };
  }
  const neutralYaw = yaws.get(neutralAt.i)!;
  const steps: FollowedStep[] = [];
  let step = 0;
  let peak: FollowedStep | undefined;
  for (const { f, i } of inTime) {
    if (i === neutralAt.i || f.at < neutralAt.f.at || step >= challenge.steps.length) {
      continue;
    }
    const rel = yaws.get(i)! - neutralYaw;
    if (peak) {
      // In a turn: follow it to its peak; it is done once back near the centre, or past it
      // (a quick swing between frames may skip the centre band).
      const s = sign(peak.direction);
      if (rel * s > peak.yaw * s) {
        peak = { ...peak, peak: i, yaw: rel, at: f.at };
        continue;
      }
      if (rel * s > t.centre) {
        continue;
      }
      steps.push(peak);
      peak = undefined;
      step++;
      if (step >= challenge.steps.length) {
        continue;
      }
    }
    const dir = challenge.steps[step]!;
    // Not in a turn: between turns the head has been back near the centre (or started there).
    if (rel * sign(dir) >= t.turn) {
      peak = { direction: dir, peak: i, yaw: rel, at: f.at };
    } else if (rel * sign(dir) <= -t.turn) {
      return {
        kind: 'not_followed',
        reason: 'wrong_direction',
        detail: `turn ${step + 1} should be to the ${dir}, the head turned the other way`,
        neutral: neutralAt.i,
        steps,
      };
    }
  }
  if (peak) {
    steps.push(peak); // the last turn need not come back to the centre
    step++;
  }
  if (step < challenge.steps.length) {
    return {
      kind: 'not_followed',
      reason: 'incomplete',
      detail: `${step} of ${challenge.steps.length} turns seen before the deadline`,
      neutral: neutralAt.i,
      steps,
    };
  }
  return { kind: 'followed', neutral: neutralAt.i, steps };
}
