/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
  /** What we wait for, named in the timeout error so a failing test says what never happened. */
  what: string;
}

/**
 * Polls `fn` until it returns a truthy value and resolves with that value; rejects with an Error naming `what` on
 * timeout. An exception thrown by `fn` is NOT retried: it rejects at once, so callers decide which errors mean
 * "not yet" (catch them and return false) and which are fatal (e.g. the server process died).
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 10_000, intervalMs = 50, what }: WaitForOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, intervalMs));
  }
}
