// Where tasks wait for a worker. An interface, as piscina's TaskQueue, so a
// priority or per-tenant queue can replace the FIFO without touching the pool.

export interface TaskQueue<T> {
  readonly size: number;
  push(item: T): void;
  /** The next task to dispatch, or undefined when empty. */
  shift(): T | undefined;
  /** Takes a waiting task out (abort, refused on a full queue); false if it was not waiting. */
  remove(item: T): boolean;
  /** Empties the queue and returns what was waiting, oldest first. */
  drainAll(): T[];
}

export class FifoTaskQueue<T> implements TaskQueue<T> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  shift(): T | undefined {
    return this.#items.shift();
  }

  remove(item: T): boolean {
    const index = this.#items.indexOf(item);
    if (index < 0) {
      return false;
    }
    this.#items.splice(index, 1);
    return true;
  }

  drainAll(): T[] {
    return this.#items.splice(0);
  }
}
