// The in-memory half of live enrollment sessions: coverage state and candidate
// frames (embeddings, aligned crops) never touch the database; the
// EnrollmentSession row holds status, expiry and the pending employee data.
//
// Frames of one session are analysed concurrently (worker pool) but applied to
// the coverage state one at a time, in arrival order: each submit takes a
// place in the session's chain before its analysis starts.
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
  state: CoverageState;
  /** Frames submitted (accepted or not). */
  frameCount: number;
  /** Set while completion runs: frames and a second completion are refused. */
  completing: boolean;
  /** A not-live frame was already reported as a presentation attack (once per session is enough). */
  attackReported?: boolean;
  /** Tail of the per-session apply chain. */
  tail: Promise<unknown>;
}

export class SessionStore {
  private readonly sessions = new Map<string, LiveSession>();

  add(session: LiveSession): void {
    this.sessions.set(session.id, session);
  }

  get(id: string): LiveSession | undefined {
    return this.sessions.get(id);
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Sessions whose expiry is at or before `now`. */
  expired(now: Date): LiveSession[] {
    return [...this.sessions.values()].filter((s) => s.expiresAt.getTime() <= now.getTime());
  }

  ids(): string[] {
    return [...this.sessions.keys()];
  }

  get size(): number {
    return this.sessions.size;
  }

  clear(): void {
    this.sessions.clear();
  }
}

/**
 * Runs `apply` after every earlier step of the session's chain, so state
 * updates happen in submission order while `input` (the analysis) was started
 * at once. A failed step does not stop later ones.
 */
export function chainStep<I, R>(session: LiveSession, input: Promise<I>, apply: (value: I) => R): Promise<R> {
  const previous = session.tail;
  const step = (async () => {
    const value = await input;
    await previous;
    return apply(value);
  })();
  // The analysis may reject; the next frame must still run after it.
  session.tail = step.catch(() => undefined);
  return step;
}
