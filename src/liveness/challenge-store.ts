// Where running kiosk challenges are kept: this process's memory (one
// instance), or Redis (several instances: src/cluster/redis-challenge-store.ts)
// so a challenge started through one instance takes its frames and gives its
// result through any other. Either way:
// - a frame is appended atomically, only while the challenge is undecided and
//   has room (frames from several instances never overwrite each other);
// - a challenge is decided once: the first result request decides, the others
//   (on any instance) get the same outcome, and a failed decision may be retried.
import type { ApiKeyId } from '../domain/ids.js';
import type { Challenge } from './challenge.js';
import type { ChallengeFrame } from './decision.js';
import type { PoseFrame } from './follow-sequence.js';

/** Frames kept per challenge (8 fps for the whole deadline is ~90). */
export const MAX_CHALLENGE_FRAMES = 120;
/** A challenge (and its result) stays readable this long after its deadline. */
export const KEEP_AFTER_DEADLINE_MS = 60_000;
/** Challenges kept in one process's memory; the oldest go first. */
const MAX_CHALLENGES = 500;

export interface ChallengeRecord {
  readonly id: string;
  readonly challenge: Challenge;
  /** The key that started it (a kiosk may only drive its own); null = system. */
  readonly startedBy: ApiKeyId | null;
  readonly cameraId: number | null;
}

/** Why a frame was not appended. */
export type AppendRefusal = 'gone' | 'decided' | 'full';

export interface ChallengeStore {
  /** True when challenges are seen by every instance sharing the store. */
  readonly shared: boolean;
  add(record: ChallengeRecord): Promise<void>;
  get(id: string): Promise<ChallengeRecord | undefined>;
  /** Appends a frame unless the challenge is gone, decided (or being decided) or full; the frame count after it. */
  append(id: string, frame: ChallengeFrame): Promise<{ count: number } | { refused: AppendRefusal }>;
  /** The time and landmarks of every frame so far, in arrival order (enough to follow the turns). */
  poses(id: string): Promise<PoseFrame[]>;
  /** Every frame so far, in arrival order (same order as poses()). */
  frames(id: string): Promise<ChallengeFrame[]>;
  /** Whether a decision was made or is being made. */
  decided(id: string): Promise<boolean>;
  /**
   * Runs `decide` once for the challenge across everyone sharing the store and
   * keeps its outcome: later calls (here or on another instance) get that outcome.
   * A `decide` that throws leaves the challenge undecided.
   */
  decideOnce<T>(id: string, decide: () => Promise<T>): Promise<T>;
}

interface Held {
  record: ChallengeRecord;
  frames: ChallengeFrame[];
  outcome?: Promise<unknown>;
}

/** One instance: challenges in this process's memory. */
export function createMemoryChallengeStore(clock: () => number = Date.now): ChallengeStore {
  const held = new Map<string, Held>();
  const prune = (): void => {
    const t = clock();
    for (const [id, h] of held) {
      if (t > h.record.challenge.deadline + KEEP_AFTER_DEADLINE_MS) {
        held.delete(id);
      }
    }
    // Map order is insertion order: drop the oldest beyond the bound.
    for (const id of held.keys()) {
      if (held.size <= MAX_CHALLENGES) {
        break;
      }
      held.delete(id);
    }
  };
  return {
    shared: false,
    add: async (record) => {
      prune();
      held.set(record.id, { record, frames: [] });
    },
    get: async (id) => held.get(id)?.record,
    append: async (id, frame) => {
      const h = held.get(id);
      if (!h) {
        return { refused: 'gone' };
      }
      if (h.outcome) {
        return { refused: 'decided' };
      }
      if (h.frames.length >= MAX_CHALLENGE_FRAMES) {
        return { refused: 'full' };
      }
      h.frames.push(frame);
      return { count: h.frames.length };
    },
    poses: async (id) => [...(held.get(id)?.frames ?? [])],
    frames: async (id) => [...(held.get(id)?.frames ?? [])],
    decided: async (id) => held.get(id)?.outcome !== undefined,
    decideOnce<T>(id: string, decide: () => Promise<T>): Promise<T> {
      const h = held.get(id);
      if (!h) {
        return decide();
      }
      h.outcome ??= decide().catch((error: unknown) => {
        h.outcome = undefined; // a failure (database down) may be retried
        throw error;
      });
      return h.outcome as Promise<T>;
    },
  };
}
