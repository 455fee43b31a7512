// The last decided identities of all cameras, newest first, for
// GET /api/v1/recognition/recognized. A fixed-size ring: memory stays bounded
// however long the server runs; older entries live on in the attendance logs.
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
}

export class RecentRecognitions {
  readonly #items: RecentRecognition[] = [];

  constructor(readonly capacity = 500) {}

  add(item: RecentRecognition): void {
    this.#items.push(item);
    if (this.#items.length > this.capacity) {
      this.#items.shift();
    }
  }

  /** Newest first. */
  list(options: { limit?: number; cameraId?: CameraId } = {}): RecentRecognition[] {
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
