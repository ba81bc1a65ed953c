import { performance } from 'node:perf_hooks';

/** What one timed probe produced: its value or its error, and how long it took. */
export type Timed<T> = { ok: true; value: T; latencyMs: number } | { ok: false; error: unknown; latencyMs: number };

/** Rounds to 0.1 ms: finer digits are noise for a network round trip and only make reports harder to read. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * Runs `probe` and measures it with the monotonic clock. The one place latency is measured, so every check reports
 * `latency_ms` the same way. Never throws: a synchronous throw is caught like a rejection.
 */
export async function timed<T>(probe: () => Promise<T>): Promise<Timed<T>> {
  const start = performance.now();
  try {
    const value = await probe();
    return { ok: true, value, latencyMs: roundMs(performance.now() - start) };
  } catch (error) {
    return { ok: false, error, latencyMs: roundMs(performance.now() - start) };
  }
}
