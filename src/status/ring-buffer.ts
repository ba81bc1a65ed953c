/**
 * A fixed-capacity FIFO: pushing onto a full buffer drops the oldest item. Memory is allocated once, so what it
 * holds stays bounded however fast items arrive.
 */
export class RingBuffer<T> {
  private readonly slots: Array<T | undefined>;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be ≥ 1 (got ${capacity})`);
    this.slots = new Array<T | undefined>(capacity);
  }

  /** How many items it holds now. */
  get size(): number {
    return this.count;
  }

  /** Appends `item`, dropping the oldest one when full. */
  push(item: T): void {
    this.slots[(this.head + this.count) % this.capacity] = item;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** The newest item. */
  last(): T | undefined {
    return this.count ? this.slots[(this.head + this.count - 1) % this.capacity] : undefined;
  }

  /** Replaces the newest item (no-op when empty). */
  replaceLast(item: T): void {
    if (this.count) this.slots[(this.head + this.count - 1) % this.capacity] = item;
  }

  /** Drops items from the oldest end while `stale` says so. */
  dropOldestWhile(stale: (item: T) => boolean): void {
    while (this.count && stale(this.slots[this.head] as T)) {
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
  }

  /** The items, oldest first. */
  toArray(): T[] {
    const items: T[] = [];
    for (let i = 0; i < this.count; i++) items.push(this.slots[(this.head + i) % this.capacity] as T);
    return items;
  }
}
