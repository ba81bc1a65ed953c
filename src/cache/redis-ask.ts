import type Redis from 'ioredis';
import { once } from 'node:events';

/** States in which a client is still shaking hands and may become ready soon. */
const HANDSHAKING = new Set(['connecting', 'connect']);

/** A Redis server did not answer within the time one server of a topology is given. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}

/**
 * Asks one server of a topology (a sentinel, a cluster node) through `client`, waiting for a handshake in progress,
 * for `limitMs` at most and never past `signal`. When either ends first the connection is dropped, so the pending
 * command and its socket are freed (ioredis reconnects or, for a cluster node, the pool lets it go), and it rejects:
 * with a {@link NoAnswerError} on its own limit, else with the signal's reason. The limit is shorter than the whole
 * check's, so one hung server costs that server's answer, not the report.
 */
export async function askWithin<T>(
  client: Redis,
  limitMs: number,
  signal: AbortSignal,
  ask: (client: Redis) => Promise<T>,
): Promise<T> {
  const limit = AbortSignal.timeout(limitMs);
  const within = AbortSignal.any([signal, limit]);
  within.throwIfAborted();
  let onAbort = (): void => undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => {
      client.disconnect(true);
      reject(signal.aborted ? (signal.reason as Error) : new NoAnswerError(`no answer within ${limitMs} ms`));
    };
    within.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const answer = (async () => {
      if (HANDSHAKING.has(client.status)) await once(client, 'ready', { signal: within });
      return ask(client);
    })();
    // The loser's rejection (the dropped command's "Connection is closed") is expected; nobody awaits it.
    answer.catch(() => undefined);
    return await Promise.race([answer, stopped]);
  } finally {
    within.removeEventListener('abort', onAbort);
  }
}
