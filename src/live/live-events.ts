// What live subscribers read (GraphQL recognitionFrames / recognized over
// graphql-ws or SSE, the old WebSocket): the cameras' topics of the app's
// pub/sub, each subscriber behind its own drop-oldest buffer, optionally for
// one camera. A late frame is worth less than the next one (buffer 2); a
// decision is rare and each matters (buffer 256).
import type { FrameEvent, RecognizedEvent } from '../cameras/events.js';
import type { CameraId } from '../domain/ids.js';
import type { BufferedSubscriptions, Subscription } from '../events/buffered-subscriptions.js';

export interface LiveSubscribeOptions {
  /** Events kept for a slow reader before the oldest is dropped. */
  buffer?: number;
  /** Ends the subscription when aborted (the client went away). */
  signal?: AbortSignal;
}

export interface LiveEvents {
  /** Per-frame results of one camera, or of all. */
  frames(cameraId: CameraId | undefined, options?: LiveSubscribeOptions): Subscription<FrameEvent>;
  /** Decided identities of one camera, or of all. */
  recognized(cameraId?: CameraId, options?: LiveSubscribeOptions): Subscription<RecognizedEvent>;
  subscriberCount(): { frames: number; recognized: number };
}

export const FRAME_BUFFER = 2;
export const RECOGNIZED_BUFFER = 256;

export function createLiveEvents(subscriptions: BufferedSubscriptions): LiveEvents {
  const ofCamera = (cameraId: CameraId | undefined) =>
    cameraId === undefined ? undefined : (event: { cameraId: CameraId }) => event.cameraId === cameraId;
  return {
    frames: (cameraId, options = {}) =>
      subscriptions.subscribe('recognitionFrames', { buffer: options.buffer ?? FRAME_BUFFER, ...withFilter(ofCamera(cameraId)), ...withSignal(options.signal) }),
    recognized: (cameraId, options = {}) =>
      subscriptions.subscribe('recognized', { buffer: options.buffer ?? RECOGNIZED_BUFFER, ...withFilter(ofCamera(cameraId)), ...withSignal(options.signal) }),
    subscriberCount: () => ({ frames: subscriptions.count('recognitionFrames'), recognized: subscriptions.count('recognized') }),
  };
}

// exactOptionalPropertyTypes: leave the key out rather than set it to undefined.
const withFilter = <T>(filter: ((event: T) => boolean) | undefined) => (filter === undefined ? {} : { filter });
const withSignal = (signal: AbortSignal | undefined) => (signal === undefined ? {} : { signal });
