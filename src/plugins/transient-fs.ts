/**
 * File-system errors that say "not now" rather than "never": the process or the system is out of file descriptors
 * (`EMFILE`, `ENFILE`, e.g. while a flood holds sockets open), or the kernel asks to try again (`EAGAIN`). The same
 * open succeeds a moment later, so such an error must never become a verdict on the file.
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE', 'EAGAIN']);

/** Pauses between the tries of {@link retryTransient}: about 0.4 s in all, short beside a 2 s re-scan tick. */
export const TRANSIENT_RETRY_DELAYS_MS: readonly number[] = [10, 25, 50, 100, 200];

/** Whether `error` is one of the transient file-system errors (see {@link TRANSIENT_CODES}). */
export function isTransientFsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

/** How {@link retryTransient} waits; a test passes its own. */
export interface RetryOptions {
  readonly delaysMs?: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt`, and again after each of `delaysMs` while it fails with a transient error; any other error, or the
 * transient error of the last try, is thrown as it came, so the caller can tell "still busy" from "broken".
 */
export async function retryTransient<T>(
  attempt: () => Promise<T>,
  { delaysMs = TRANSIENT_RETRY_DELAYS_MS, sleep = sleepFor }: RetryOptions = {},
): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransientFsError(error) || tries >= delaysMs.length) throw error;
      await sleep(delaysMs[tries]);
    }
  }
}
