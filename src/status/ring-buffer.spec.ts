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

  it('says which item a full buffer dropped, and reads items by position from the oldest', () => {
    const ring = new RingBuffer<number>(3);
    expect([1, 2, 3].map((n) => ring.push(n))).toEqual([undefined, undefined, undefined]);
    expect(ring.push(4)).toBe(1);
    expect([0, 1, 2, 3, -1].map((i) => ring.at(i))).toEqual([2, 3, 4, undefined, undefined]);
    expect(ring.slice(1, 10)).toEqual([3, 4]);
    expect(ring.slice(-5, 2)).toEqual([2, 3]);
  });

  it('finds the first item of an ordered buffer that passes a test, wrapped or not', () => {
    const ring = new RingBuffer<number>(5);
    for (let n = 1; n <= 8; n++) ring.push(n * 10); // wrapped: 40 50 60 70 80
    expect([0, 40, 41, 55, 80, 81].map((x) => ring.findFirst((n) => n >= x))).toEqual([0, 0, 1, 2, 4, 5]);
    expect(new RingBuffer<number>(2).findFirst(() => true)).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
