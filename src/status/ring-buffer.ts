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

  /** Appends `item`, dropping the oldest one when full; returns the dropped one. */
  push(item: T): T | undefined {
    const slot = (this.head + this.count) % this.capacity;
    const dropped = this.count === this.capacity ? this.slots[slot] : undefined;
    this.slots[slot] = item;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
    return dropped;
  }

  /** The item at `index`, 0 being the oldest; `undefined` outside 0 to size − 1. */
  at(index: number): T | undefined {
    return index >= 0 && index < this.count ? this.slots[(this.head + index) % this.capacity] : undefined;
  }

  /** The items from `start` up to (not including) `end`, oldest first: a copy of that part only. */
  slice(start: number, end: number): T[] {
    const items: T[] = [];
    for (let i = Math.max(start, 0); i < Math.min(end, this.count); i++) items.push(this.at(i) as T);
    return items;
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
    return this.slice(0, this.count);
  }

  /**
   * The index of the first item for which `atOrAfter` holds, when it holds for every item from some point on (items
   * kept in an increasing order, e.g. by id); `size` when it holds for none. A binary search: O(log size).
   */
  findFirst(atOrAfter: (item: T) => boolean): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (atOrAfter(this.at(middle) as T)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
