/**
 * Maps `items` through `fn` with at most `limit` calls in flight, and resolves with the results in the order of
 * `items`, like `Promise.all(items.map(fn))` does. `Promise.all` starts every call at once: over 50,000 plugin
 * folders that is 50,000 open files (the process's limit is often 1,024) and as many pending requests held in memory.
 * Rejects with the first error, after which no further call starts.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer (got ${limit})`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  // Each worker takes the next item when its last one is done, so `limit` calls stay in flight until the end.
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
