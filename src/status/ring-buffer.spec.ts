import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.last()).toBe(5);
  });

  it('replaces the newest item', () => {
    const ring = new RingBuffer<string>(2);
    ring.replaceLast('ignored while empty');
    expect(ring.toArray()).toEqual([]);
    ring.push('a');
    ring.push('b');
    ring.replaceLast('c');
    expect(ring.toArray()).toEqual(['a', 'c']);
  });

  it('drops stale items from the oldest end only', () => {
    const ring = new RingBuffer<number>(4);
    [1, 2, 9, 3].forEach((n) => ring.push(n));
    ring.dropOldestWhile((n) => n < 5);
    expect(ring.toArray()).toEqual([9, 3]);
    ring.dropOldestWhile(() => true);
    expect(ring.size).toBe(0);
    expect(ring.last()).toBeUndefined();
    ring.push(7);
    expect(ring.toArray()).toEqual([7]);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
