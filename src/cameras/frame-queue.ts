// Bounded hand-off between a camera's capture and the face engine. When full,
// the oldest item is dropped: for live video the newest frame is the one worth
// processing, and a slow engine must never build an unbounded backlog.

export class DropOldestQueue<T> {
  readonly #items: T[] = [];
  #dropped = 0;

  constructor(
    readonly capacity: number,
    /** Called with each item pushed out, so the owner can free it (e.g. give a capture credit back). */
    private readonly onDrop?: (item: T) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    }
  }

  get length(): number {
    return this.#items.length;
  }

  /** Items dropped since the queue was made. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Adds an item; returns the item dropped to make room, if any. */
  push(item: T): T | undefined {
    let evicted: T | undefined;
    if (this.#items.length >= this.capacity) {
      evicted = this.#items.shift();
      this.#dropped += 1;
      if (evicted !== undefined) {
        this.onDrop?.(evicted);
      }
    }
    this.#items.push(item);
    return evicted;
  }

  shift(): T | undefined {
    return this.#items.shift();
  }

  /** Removes everything (on stop), handing each item to onDrop without counting it as dropped. */
  clear(): T[] {
    const items = this.#items.splice(0);
    for (const item of items) {
      this.onDrop?.(item);
    }
    return items;
  }
}
