/**
 * A fixed-capacity FIFO over a preallocated array: push and shift are O(1) and allocate nothing,
 * so enqueuing an alert costs the evaluation path a few stores.
 */
export class RingQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Returns false (and stores nothing) when full. */
  push(item: T): boolean {
    if (this.count === this.capacity) return false;
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
    return true;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }

  /** Copies up to `max` items from the front into `out` (cleared first) without removing them. */
  peekMany(max: number, out: T[]): T[] {
    out.length = 0;
    const n = Math.min(max, this.count);
    for (let i = 0; i < n; i++) out.push(this.items[(this.head + i) % this.capacity] as T);
    return out;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }
}
