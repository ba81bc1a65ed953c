/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every machine, so a
 * failure a fuzz test met can be replayed with the seed it printed.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** `length` random bytes. */
  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(0, 255)));
  }

  /** A seed for a run: `FUZZ_SEED` when set (to replay one), else a fresh one. */
  static seedFrom(env: NodeJS.ProcessEnv): number {
    const given = env.FUZZ_SEED;
    if (given === undefined || given === '') return Math.floor(Math.random() * 4294967296);
    if (!/^\d+$/.test(given)) throw new Error(`FUZZ_SEED must be a whole number, got ${JSON.stringify(given)}`);
    return Number(given) >>> 0;
  }
}
