// Fan-out of camera events to subscribers (GraphQL subscriptions over
// graphql-ws and SSE, the old WebSocket). One capture feeds any number of
// subscribers; each has its own small drop-oldest buffer, so publishing never
// waits and a subscriber that stops reading only loses its own old events.
import type { CameraId } from '../domain/ids.js';
import type { FrameEvent, RecognizedEvent } from './camera-events.js';

export interface Subscription<T> extends AsyncIterableIterator<T> {
  /** Events this subscriber lost because it read too slowly. */
  readonly dropped: number;
  /** Ends the subscription (same as return()). */
  close(): void;
  return(): Promise<IteratorResult<T>>;
}

export interface SubscribeOptions {
  /** Events kept for a slow reader before the oldest is dropped. */
  buffer?: number;
  /** Ends the subscription when aborted (the client went away). */
  signal?: AbortSignal;
}

class Channel<T> implements Subscription<T> {
  readonly #items: T[] = [];
  #waiting: ((result: IteratorResult<T>) => void) | undefined;
  #closed = false;
  #dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly onClose: () => void,
  ) {}

  get dropped(): number {
    return this.#dropped;
  }

  push(item: T): void {
    if (this.#closed) {
      return;
    }
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting({ value: item, done: false });
      return;
    }
    if (this.#items.length >= this.capacity) {
      this.#items.shift();
      this.#dropped += 1;
    }
    this.#items.push(item);
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.#items.shift();
    if (item !== undefined) {
      return Promise.resolve({ value: item, done: false });
    }
    if (this.#closed) {
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#items.length = 0;
    this.onClose();
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

interface Entry<T> {
  channel: Channel<T>;
  cameraId: CameraId | undefined;
}

/**
 * What subscribers read. CameraEventHub is the in-process implementation; one
 * spanning several server instances (e.g. over Redis) would implement the same.
 */
export interface LiveEventSource {
  frames(cameraId: CameraId | undefined, options?: SubscribeOptions): Subscription<FrameEvent>;
  recognized(cameraId?: CameraId, options?: SubscribeOptions): Subscription<RecognizedEvent>;
}

export class CameraEventHub implements LiveEventSource {
  readonly #frames = new Set<Entry<FrameEvent>>();
  readonly #recognized = new Set<Entry<RecognizedEvent>>();

  publishFrame(event: FrameEvent): void {
    publish(this.#frames, event);
  }

  publishRecognized(event: RecognizedEvent): void {
    publish(this.#recognized, event);
  }

  /** Per-frame results of one camera (or all). Default buffer 2: a late frame is worth less than the next one. */
  frames(cameraId: CameraId | undefined, options: SubscribeOptions = {}): Subscription<FrameEvent> {
    return subscribe(this.#frames, cameraId, options.buffer ?? 2, options.signal);
  }

  /** Decided identities of one camera, or of all. Default buffer 256: these are rare and each matters. */
  recognized(cameraId?: CameraId, options: SubscribeOptions = {}): Subscription<RecognizedEvent> {
    return subscribe(this.#recognized, cameraId, options.buffer ?? 256, options.signal);
  }

  subscriberCount(): { frames: number; recognized: number } {
    return { frames: this.#frames.size, recognized: this.#recognized.size };
  }

  /** Ends every subscription (server shutdown). */
  closeAll(): void {
    for (const entry of [...this.#frames, ...this.#recognized]) {
      entry.channel.close();
    }
  }
}

function publish<T extends { cameraId: CameraId }>(entries: Set<Entry<T>>, event: T): void {
  for (const entry of entries) {
    if (entry.cameraId === undefined || entry.cameraId === event.cameraId) {
      entry.channel.push(event);
    }
  }
}

function subscribe<T>(entries: Set<Entry<T>>, cameraId: CameraId | undefined, buffer: number, signal: AbortSignal | undefined): Subscription<T> {
  // The close callback refers to `entry`, made just below; it cannot run before then.
  const channel = new Channel<T>(Math.max(1, buffer), () => {
    entries.delete(entry);
    signal?.removeEventListener('abort', onAbort);
  });
  const onAbort = (): void => channel.close();
  const entry: Entry<T> = { channel, cameraId };
  entries.add(entry);
  if (signal?.aborted) {
    channel.close();
  } else {
    signal?.addEventListener('abort', onAbort, { once: true });
  }
  return channel;
}
