// The face engine with its task latency and failures counted: a decorator
// around any FaceEngine (local pool or queue), so both engines report the
// same series and no caller changes.
import type { FaceEngine } from '../engine/face-engine.js';
import type { AppMetrics } from './app-metrics.js';

export function instrumentFaceEngine(engine: FaceEngine, metrics: AppMetrics): FaceEngine {
  const timed = <A extends unknown[], R>(task: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const stop = metrics.engineTaskDuration.startTimer({ task });
      try {
        const result = await fn(...args);
        stop();
        return result;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        metrics.engineTaskFailures.inc({ task, reason: typeof code === 'string' ? code : 'INTERNAL' });
        throw error;
      }
    };
  const augment = engine.augmentAndEmbed?.bind(engine);
  return {
    get modelId() {
      return engine.modelId;
    },
    get embeddingSize() {
      return engine.embeddingSize;
    },
    analyze: timed('analyze', engine.analyze.bind(engine)),
    analyzeRaw: timed('analyzeRaw', engine.analyzeRaw.bind(engine)),
    embedAligned: timed('embedAligned', engine.embedAligned.bind(engine)),
    ...(augment === undefined ? {} : { augmentAndEmbed: timed('augmentAndEmbed', augment) }),
    stats: () => engine.stats(),
    ...(engine.describe === undefined ? {} : { describe: engine.describe.bind(engine) }),
    close: () => engine.close(),
  };
}
