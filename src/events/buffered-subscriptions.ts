// Per-subscriber drop-oldest buffering over the app's pub/sub, for the live
// topics (camera frames and decisions). The events travel through the pub/sub
// (in memory, or Redis across instances) like every other topic; this layer
// holds one pub/sub subscription per topic and fans it out to subscribers,
// each with its own small buffer: publishing never waits, and a subscriber
// that stops reading only loses its own old events.
import type { AppPubSub } from './event-bus.js';
import type { AppTopics } from './topics.js';

export interface Subscription<T> extends AsyncIterableIterator<T> {
  /** Events this subscriber lost because it read too slowly. */
  readonly dropped: number;
  /** Ends the subscription (same as return()). */
  close(): void;
  return(): Promise<IteratorResult<T>>;
}

/** Topics published without a per-id channel: `name: [payload]`. */
export type PlainTopic = { [K in keyof AppTopics]: AppTopics[K] extends [unknown] ? K : never }[keyof AppTopics];
export type PayloadOf<K extends PlainTopic> = AppTopics[K][0];

export interface BufferOptions<T> {
  /** Events kept for a slow reader before the oldest is dropped. */
  buffer: number;
  /** Only these events are buffered (e.g. one camera's). */
  filter?: (event: T) => boolean;
  /** Ends the subscription when aborted (the client went away). */
  signal?: AbortSignal;
}

export interface BufferedSubscriptions {
  subscribe<K extends PlainTopic>(topic: K, options: BufferOptions<PayloadOf<K>>): Subscription<PayloadOf<K>>;
  /** Open subscriptions of a topic (tests wait for subscribers to be live). */
  count(topic: PlainTopic): number;
  /** Ends every subscription (server shutdown: SSE responses can then finish). */
  closeAll(): void;
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

interface Entry {
  channel: Channel<unknown>;
  filter: ((event: unknown) => boolean) | undefined;
}

/** One pub/sub subscription per topic, fanned out to that topic's buffered subscribers. */
interface Feed {
  entries: Set<Entry>;
  stop(): void;
}

export function createBufferedSubscriptions(pubsub: Pick<AppPubSub, 'subscribe'>): BufferedSubscriptions {
  const feeds = new Map<PlainTopic, Feed>();

  const startFeed = (topic: PlainTopic): Feed => {
    // The pub/sub's typed overloads cannot be picked for a generic topic; the
    // topic map still ties each name to its payload (PayloadOf).
    const source = (pubsub.subscribe as (name: PlainTopic) => AsyncIterable<unknown>)(topic)[Symbol.asyncIterator]();
    const feed: Feed = {
      entries: new Set(),
      // Stops the pub/sub listener (over Redis: UNSUBSCRIBE).
      stop: () => void source.return?.(),
    };
    // The pump reads the pub/sub as fast as it delivers; each subscriber's
    // channel is where a slow reader's backlog is bounded.
    void (async () => {
      try {
        for (;;) {
          const next = await source.next();
          if (next.done === true || feeds.get(topic) !== feed) {
            break;
          }
          for (const entry of feed.entries) {
            if (entry.filter === undefined || entry.filter(next.value)) {
              entry.channel.push(next.value);
            }
          }
        }
      } catch {
        // The pub/sub ended with an error: its subscribers see the end of the stream.
      } finally {
        for (const entry of [...feed.entries]) {
          entry.channel.close();
        }
      }
    })();
    return feed;
  };

  const subscribe = <K extends PlainTopic>(topic: K, options: BufferOptions<PayloadOf<K>>): Subscription<PayloadOf<K>> => {
    let feed = feeds.get(topic);
    if (feed === undefined) {
      feed = startFeed(topic);
      feeds.set(topic, feed);
    }
    const current = feed;
    const onAbort = (): void => channel.close();
    const channel = new Channel<PayloadOf<K>>(Math.max(1, options.buffer), () => {
      current.entries.delete(entry);
      options.signal?.removeEventListener('abort', onAbort);
      if (current.entries.size === 0 && feeds.get(topic) === current) {
        feeds.delete(topic);
        current.stop();
      }
    });
    // A filter written for this topic's payload, kept beside channels of unknown payload.
    const entry: Entry = { channel: channel as Channel<unknown>, filter: options.filter as ((event: unknown) => boolean) | undefined };
    current.entries.add(entry);
    if (options.signal?.aborted === true) {
      channel.close();
    } else {
      options.signal?.addEventListener('abort', onAbort, { once: true });
    }
    return channel;
  };

  return {
    subscribe,
    count: (topic) => feeds.get(topic)?.entries.size ?? 0,
    closeAll() {
      for (const feed of [...feeds.values()]) {
        for (const entry of [...feed.entries]) {
          entry.channel.close();
        }
      }
    },
  };
}
