// The fence in front of everything a camera writes, for the camera service of
// an instance among several: its frames and decisions go out, and its
// recognitions reach attendance, only while this instance holds the camera's
// lease. A paused owner that wakes up after another instance took the camera
// finds its lease invalid (no round trip) and its attendance write refused by
// the token check in Redis: the new owner alone writes.
import type { RecognitionEvent, RecordResult } from '../attendance/types.js';
import { DomainError } from '../domain/errors.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { CameraFence } from './camera-ownership.js';

export class CameraFencedOffError extends DomainError {
  readonly code = 'CONFLICT';
  readonly status = 409;
  constructor(readonly cameraId: number) {
    super(`camera ${cameraId} is no longer held by this instance: its write is refused`);
    this.name = 'CameraFencedOffError';
  }
}

const CAMERA_TOPICS = new Set(['recognitionFrames', 'recognized']);

/** Camera events of a camera this instance does not (validly) hold are dropped. */
export function fencedPublisher(events: EventPublisher, fence: CameraFence, onDropped: (topic: string, cameraId: number) => void): EventPublisher {
  return {
    publish: (topic: string, ...rest: unknown[]) => {
      const payload = rest[rest.length - 1] as { cameraId?: unknown } | undefined;
      if (CAMERA_TOPICS.has(topic) && typeof payload?.cameraId === 'number' && !fence.mayWrite(payload.cameraId)) {
        onDropped(topic, payload.cameraId);
        return;
      }
      (events.publish as (topic: string, ...args: unknown[]) => void)(topic, ...rest);
    },
  };
}

/** A camera's recognition reaches attendance only after Redis confirms the lease and its token. */
export function fencedAttendance(
  record: (event: RecognitionEvent) => Promise<RecordResult>,
  fence: CameraFence,
): (event: RecognitionEvent) => Promise<RecordResult> {
  return async (event) => {
    if (event.cameraId != null && !(await fence.confirm(event.cameraId))) {
      throw new CameraFencedOffError(event.cameraId);
    }
    return record(event);
  };
}
