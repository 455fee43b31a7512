// A kiosk challenge: a random sequence of head turns with a deadline. The
// directions are drawn independently (2^n sequences) and every turn must come
// back through the centre before the next, so a replayed recording of someone
// turning left and right passes only by luck (1 in 8 for three turns), and
// only if it also fits the deadline.
import { randomInt } from 'node:crypto';

/**
 * 'left' = the person turns to their own left: the nose moves towards image right in a
 * camera frame that is not mirrored (what a kiosk's camera sends), positive yaw proxy.
 */
export type TurnDirection = 'left' | 'right';

export interface Challenge {
  steps: readonly TurnDirection[];
  /** Epoch milliseconds. */
  issuedAt: number;
  deadline: number;
}

export interface ChallengeOptions {
  /** Number of turns (default 3). */
  turns: number;
  /** Time allowed per turn, ms (default 2500), plus `graceMs` once (default 3000) to get into view. */
  msPerTurn: number;
  graceMs: number;
}

export const DEFAULT_CHALLENGE_OPTIONS: ChallengeOptions = { turns: 3, msPerTurn: 2500, graceMs: 3000 };

/** Uniform integer in [0, n): crypto by default (the sequence must not be guessable), seeded in tests. */
export type PickInt = (n: number) => number;

export function createChallenge(now: number, options: Partial<ChallengeOptions> = {}, pick: PickInt = (n) => randomInt(n)): Challenge {
  const o = { ...DEFAULT_CHALLENGE_OPTIONS, ...options };
  if (!Number.isInteger(o.turns) || o.turns < 1 || o.turns > 8) {
    throw new RangeError(`a challenge has 1 to 8 turns, not ${o.turns}`);
  }
  const steps = Array.from({ length: o.turns }, (): TurnDirection => (pick(2) === 0 ? 'left' : 'right'));
  return { steps, issuedAt: now, deadline: now + o.graceMs + o.turns * o.msPerTurn };
}

/**
 * LIVENESS_MODE=challenge: a kiosk checks people in through the head-turn challenge only
 * (its plain recognize answers but never logs); other callers are not asked.
 */
export function checksInByChallengeOnly(mode: 'off' | 'passive' | 'challenge', role: string | undefined): boolean {
  return mode === 'challenge' && role === 'kiosk';
}

/** Words for the kiosk screen. */
export function instructionFor(step: TurnDirection): string {
  return step === 'left' ? 'Turn your head to your left' : 'Turn your head to your right';
}
