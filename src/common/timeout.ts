/** A probe that did not answer in time. Its message says what timed out and after how long. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';

  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} timed out after ${ms} ms`);
  }
}

/**
 * Settles like `work`, or rejects with a {@link TimeoutError} after `ms`. Unlike a bare `Promise.race`, the caller
 * is told when the deadline passes (`onTimeout`) so it can free what the work still holds — destroy the socket,
 * drop the pool client — instead of leaving it running. The timer never outlives the work.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new TimeoutError(what, ms));
      onTimeout?.();
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the work's own reason, passed on as it came
        reject(error);
      },
    );
  });
}

/**
 * Settles like `work`, or rejects with `signal`'s reason once it aborts first: for a caller that may stop waiting on
 * work shared with others (which goes on, bounded by its own deadline). The abort listener never outlives the wait.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the work's own reason, passed on as it came
        reject(error);
      },
    );
  });
}
