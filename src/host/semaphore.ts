/**
 * A strictly FIFO counting semaphore with weighted, abortable acquisition. One primitive gives
 * the client all its locks: a per-WP mutex (capacity 1), the global mutation bound (capacity N)
 * and a per-mission shared/exclusive lock (shared = weight 1, exclusive = the whole capacity).
 * FIFO matters: a waiting exclusive (merge) blocks later shared requests, so it cannot starve.
 */

interface Waiter {
  weight: number;
  grant: () => void;
}

export type Release = () => void;

export class Semaphore {
  readonly capacity: number;
  #inUse = 0;
  readonly #queue: Waiter[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`semaphore capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  /** True when nobody holds or waits for the semaphore (so a keyed map can drop it). */
  get idle(): boolean {
    return this.#inUse === 0 && this.#queue.length === 0;
  }

  /**
   * Resolves with a release function once `weight` units are free and every earlier waiter has
   * been served. Rejects with the signal's reason if it aborts first (nothing is then held).
   */
  acquire(weight = 1, signal?: AbortSignal): Promise<Release> {
    if (weight < 1 || weight > this.capacity) {
      return Promise.reject(new RangeError(`weight ${weight} is outside 1..${this.capacity}`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#queue.length === 0 && this.#inUse + weight <= this.capacity) {
      this.#inUse += weight;
      return Promise.resolve(this.#releaser(weight));
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        weight,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser(weight));
        },
      };
      const onAbort = (): void => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(signal?.reason);
        // Our leaving may unblock the waiters that queued behind us.
        this.#drain();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #releaser(weight: number): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inUse -= weight;
      this.#drain();
    };
  }

  #drain(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      if (this.#inUse + head.weight > this.capacity) return;
      this.#queue.shift();
      this.#inUse += head.weight;
      head.grant();
    }
  }
}

/** One semaphore per key, created on demand and dropped when idle. */
export class KeyedSemaphores {
  readonly #byKey = new Map<string, Semaphore>();
  constructor(readonly capacity: number) {}

  async acquire(key: string, weight = 1, signal?: AbortSignal): Promise<Release> {
    let semaphore = this.#byKey.get(key);
    if (!semaphore) {
      semaphore = new Semaphore(this.capacity);
      this.#byKey.set(key, semaphore);
    }
    const held = semaphore;
    try {
      const release = await held.acquire(weight, signal);
      return () => {
        release();
        if (held.idle && this.#byKey.get(key) === held) this.#byKey.delete(key);
      };
    } catch (error) {
      if (held.idle && this.#byKey.get(key) === held) this.#byKey.delete(key);
      throw error;
    }
  }

  /** Keys with a holder or a waiter (for tests and diagnostics). */
  get activeKeys(): string[] {
    return [...this.#byKey.keys()];
  }
}
