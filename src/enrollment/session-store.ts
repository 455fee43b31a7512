// The live half of enrollment sessions: coverage state and candidate frames
// (embeddings, aligned crops) never touch the database; the EnrollmentSession
// row holds status, expiry and the pending employee data.
//
// Where the live half is kept is a LiveSessionStore: this process's memory
// (one instance), or Redis (several instances: src/cluster/redis-session-store.ts)
// so that any instance takes any frame of any session. Either way a frame is
// applied to the latest state, one at a time (`update`), and a session being
// completed is marked so no second completion starts.
//
// Frames of one session are analysed concurrently but applied in arrival
// order within an instance: each submit takes a place in the session's chain
// before its analysis starts (chainStep).
import type { ApiKeyId, EmployeeId } from '../domain/ids.js';
import type { CoverageState } from './coverage.js';

export interface PendingEmployee {
  employeeCode: string;
  fullName: string;
  email: string | null;
  department: string | null;
}

export interface LiveSession {
  readonly id: string;
  /** Re-enrollment of an existing employee. */
  readonly employeeId: EmployeeId | null;
  /** New employee, created only on completion. */
  readonly pendingEmployee: PendingEmployee | null;
  /** The key that started it (a kiosk may only drive its own sessions); null = system. */
  readonly startedBy: ApiKeyId | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly state: CoverageState;
  /** Frames submitted (accepted or not). */
  readonly frameCount: number;
  /** A not-live frame was already reported as a presentation attack (once per session is enough). */
  readonly attackReported?: boolean;
}

export interface LiveSessionStore {
  /** True when sessions outlive this process (another instance may hold them): a restart must not expire them. */
  readonly shared: boolean;
  add(session: LiveSession): Promise<void>;
  get(id: string): Promise<LiveSession | undefined>;
  /**
   * Applies `step` to the latest state of the session, one step at a time
   * across everyone sharing the store; undefined when the session is gone.
   */
  update<R>(id: string, step: (current: LiveSession) => { next: LiveSession; result: R }): Promise<R | undefined>;
  /** Marks the session as being completed; false when it already is. */
  beginCompletion(id: string): Promise<boolean>;
  endCompletion(id: string): Promise<void>;
  isCompleting(id: string): Promise<boolean>;
  delete(id: string): Promise<void>;
  /** Sessions of this store past their expiry (memory); a shared store leaves expiry to the database sweep. */
  expired(now: Date): Promise<LiveSession[]>;
  /** Ids this process holds (the database sweep leaves them to expired()). */
  heldIds(): string[];
  readonly size: number;
  /** Forgets everything this process holds (app stop). */
  clear(): void;
}

/** One instance: sessions in this process's memory. */
export function createMemorySessionStore(): LiveSessionStore {
  const sessions = new Map<string, LiveSession>();
  const completing = new Set<string>();
  return {
    shared: false,
    add: async (session) => {
      sessions.set(session.id, session);
    },
    get: async (id) => sessions.get(id),
    async update(id, step) {
      const current = sessions.get(id);
      if (current === undefined) {
        return undefined;
      }
      const { next, result } = step(current);
      sessions.set(id, next);
      return result;
    },
    async beginCompletion(id) {
      if (completing.has(id)) {
        return false;
      }
      completing.add(id);
      return true;
    },
    endCompletion: async (id) => {
      completing.delete(id);
    },
    isCompleting: async (id) => completing.has(id),
    delete: async (id) => {
      sessions.delete(id);
    },
    expired: async (now) => [...sessions.values()].filter((s) => s.expiresAt.getTime() <= now.getTime()),
    heldIds: () => [...sessions.keys()],
    get size() {
      return sessions.size;
    },
    clear() {
      sessions.clear();
      completing.clear();
    },
  };
}

/** The tail of a session's apply chain in this process. */
export interface SessionChain {
  tail: Promise<unknown>;
}

/**
 * Runs `apply` after every earlier step of the session's chain, so state
 * updates happen in submission order while `input` (the analysis) was started
 * at once. A failed step does not stop later ones.
 */
export function chainStep<I, R>(chain: SessionChain, input: Promise<I>, apply: (value: I) => R | Promise<R>): Promise<R> {
  const previous = chain.tail;
  const step = (async () => {
    const value = await input;
    await previous;
    return apply(value);
  })();
  // The analysis may reject; the next frame must still run after it.
  chain.tail = step.catch(() => undefined);
  return step;
}
