// The last decided identities of all cameras, newest first, for
// GET /api/v1/recognition/recognized. One instance keeps them in a
// fixed-size ring (memory stays bounded however long the server runs; older
// entries live on in the attendance logs); several instances share a capped
// list in Redis instead (src/cluster/redis-recent-recognitions.ts), so any
// instance answers with the decisions of every camera owner.
import type { CameraId, EmployeeId } from '../domain/ids.js';
import type { RecognitionMethod } from '../cameras/face-decision.js';
import type { Box } from '../vision/types.js';

/** What became of the recognition in the attendance log. */
export type AttendanceOutcome = 'pending' | 'logged' | 'duplicate' | 'queued' | 'rejected' | 'failed';

export interface RecentRecognition {
  cameraId: CameraId;
  trackId: number;
  employeeId: EmployeeId;
  employeeName: string | null;
  employeeCode: string | null;
  confidence: number;
  method: RecognitionMethod;
  /** Epoch ms of the decision and of the track's first frame. */
  at: number;
  firstSeenAt: number;
  frameNumber: number;
  box: Box;
  attendance: AttendanceOutcome;
  /** The instance whose camera decided it. */
  instanceId: string;
}

export interface RecentQuery {
  /** Default 50. */
  limit?: number;
  cameraId?: CameraId;
}

/** Where decided identities are kept for the route: this instance's ring, or the deployment's list. */
export interface RecentRecognitionLog {
  /** A decision as it is made ('pending', no name yet): the sink fills in the same object. */
  add(entry: RecentRecognition): void;
  /** The entry's name and attendance outcome are now known. */
  settled(entry: RecentRecognition): void;
  /** Erasure: the person's entries are dropped. */
  forgetEmployee(employeeId: EmployeeId): Promise<void>;
  /** Newest first. */
  read(query?: RecentQuery): Promise<RecentRecognition[]>;
}

export class RecentRecognitions implements RecentRecognitionLog {
  #items: RecentRecognition[] = [];

  constructor(readonly capacity = 500) {}

  add(item: RecentRecognition): void {
    this.#items.push(item);
    if (this.#items.length > this.capacity) {
      this.#items.shift();
    }
  }

  /** The ring holds the object the sink filled in: nothing to do. */
  settled(): void {}

  forgetEmployee(employeeId: EmployeeId): Promise<void> {
    this.#items = this.#items.filter((item) => item.employeeId !== employeeId);
    return Promise.resolve();
  }

  read(query: RecentQuery = {}): Promise<RecentRecognition[]> {
    return Promise.resolve(this.list(query));
  }

  /** Newest first. */
  list(options: RecentQuery = {}): RecentRecognition[] {
    const limit = Math.max(0, options.limit ?? 50);
    const out: RecentRecognition[] = [];
    for (let i = this.#items.length - 1; i >= 0 && out.length < limit; i -= 1) {
      const item = this.#items[i]!;
      if (options.cameraId === undefined || item.cameraId === options.cameraId) {
        out.push(item);
      }
    }
    return out;
  }
}
