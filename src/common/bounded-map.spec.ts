import { mapBounded } from './bounded-map';

/** A call that stays pending until the test settles it, so the test decides the order in which calls finish. */
interface Pending {
  readonly item: number;
  resolve(value: string): void;
  reject(error: Error): void;
}

describe('mapBounded', () => {
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

  function controlled() {
    const pending: Pending[] = [];
    let inFlight = 0;
    let most = 0;
    const fn = (item: number) =>
      new Promise<string>((resolve, reject) => {
        inFlight++;
        most = Math.max(most, inFlight);
        const settle = () => inFlight--;
        pending.push({
          item,
          resolve: (value) => (settle(), resolve(value)),
          reject: (error) => (settle(), reject(error)),
        });
      });
    return { pending, fn, most: () => most, inFlight: () => inFlight };
  }

  it('keeps at most `limit` calls in flight, starts the next as one ends, and keeps the order of the items', async () => {
    const { pending, fn, most, inFlight } = controlled();
    const items = Array.from({ length: 10 }, (_, i) => i);
    const all = mapBounded(items, 3, fn);
    await flush();
    expect(pending.map((p) => p.item)).toEqual([0, 1, 2]);
    // Finish out of order: the results still follow the items.
    pending[2].resolve('r2');
    await flush();
    expect(pending.map((p) => p.item)).toEqual([0, 1, 2, 3]);
    expect(inFlight()).toBe(3);
    for (let i = 0; i < pending.length; i++) {
      if (i !== 2) pending[i].resolve(`r${pending[i].item}`);
      await flush();
    }
    await expect(all).resolves.toEqual(items.map((i) => `r${i}`));
    expect(pending).toHaveLength(10);
    expect(most()).toBe(3);
  });

  it('starts no call for an empty list and no more calls than items', async () => {
    const { pending, fn } = controlled();
    await expect(mapBounded([], 4, fn)).resolves.toEqual([]);
    const two = mapBounded([7, 8], 16, fn);
    await flush();
    expect(pending.map((p) => p.item)).toEqual([7, 8]);
    pending.forEach((p) => p.resolve(String(p.item)));
    await expect(two).resolves.toEqual(['7', '8']);
  });

  it('rejects with the first error and starts no call after it', async () => {
    const { pending, fn } = controlled();
    const all = mapBounded([0, 1, 2, 3, 4], 2, fn);
    await flush();
    pending[0].reject(new Error('boom'));
    await flush();
    pending[1].resolve('r1');
    await expect(all).rejects.toThrow('boom');
    await flush();
    expect(pending.map((p) => p.item)).toEqual([0, 1]);
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(mapBounded([1], 0, () => Promise.resolve(1))).rejects.toThrow(RangeError);
    await expect(mapBounded([1], 1.5, () => Promise.resolve(1))).rejects.toThrow(RangeError);
  });
});
