// Counting what the services do without touching them: the composition root
// hands each service a publisher or a dependency wrapped here, so the counts
// come from this instance's own work (events that arrive from other instances
// through Redis never pass these wrappers).
import type { RecordResult } from '../attendance/types.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { RecognitionService } from '../services/recognition-service.js';
import type { AppMetrics } from './app-metrics.js';

/**
 * The app's publisher, watching what goes out: a camera's `recognized` is a
 * known person decided for a track; `trainingProgress` started → finished
 * (or failed) is a training's duration. Publishing itself is unchanged.
 */
export function observedPublisher(events: EventPublisher, metrics: AppMetrics): EventPublisher {
  let trainingStarted: number | undefined;
  const observe = (topic: string, payload: unknown): void => {
    if (topic === 'recognized') {
      metrics.recognitions.inc({ source: 'camera', result: 'known' });
    } else if (topic === 'trainingProgress') {
      const status = (payload as { status?: unknown } | undefined)?.status;
      if (status === 'started') {
        trainingStarted = performance.now();
      } else if ((status === 'finished' || status === 'failed') && trainingStarted !== undefined) {
        metrics.trainingDuration.observe({ outcome: status === 'finished' ? 'trained' : 'failed' }, (performance.now() - trainingStarted) / 1000);
        trainingStarted = undefined;
      }
    }
  };
  return {
    publish: (topic: string, ...rest: unknown[]) => {
      observe(topic, rest[rest.length - 1]);
      (events.publish as (topic: string, ...args: unknown[]) => void)(topic, ...rest);
    },
  };
}

/** recognize with every face of every answer counted: known, or unknown by reason. */
export function observedRecognition(service: RecognitionService, metrics: AppMetrics): RecognitionService {
  return {
    async recognize(image, options) {
      const result = await service.recognize(image, options);
      for (const face of result.faces) {
        metrics.recognitions.inc({ source: 'request', result: face.employee === null ? 'unknown' : 'known' });
      }
      return result;
    },
  };
}

/** An attendance write with its result counted (logged, duplicate, queued, rejected; failed when it throws). */
export function observedAttendanceWrite<E>(record: (event: E) => Promise<RecordResult>, metrics: AppMetrics): (event: E) => Promise<RecordResult> {
  return async (event) => {
    try {
      const result = await record(event);
      metrics.attendanceResults.inc({ result: result.kind });
      return result;
    } catch (error) {
      metrics.attendanceResults.inc({ result: 'failed' });
      throw error;
    }
  };
}
