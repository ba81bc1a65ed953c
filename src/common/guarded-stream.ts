import type { Duplex } from 'node:stream';

/** Why the bytes a peer sent cannot be its protocol; `reason` says more ("it sent …") when there is more to say. */
export class WireRefusal {
  constructor(readonly reason?: string) {}
}

/** How {@link guardIncoming} reads one connection's bytes and what it ends the connection with. */
export interface IncomingGuard {
  /** Reads the next chunk ahead of the driver; a refusal ends the connection before any listener sees the chunk. */
  inspect?(chunk: Buffer): WireRefusal | undefined;
  /** The refusal for a chunk that made a listener throw (the driver's parser, or code it called). */
  readonly unreadable: WireRefusal;
  /** The error the connection is destroyed with; the driver reports it as the connection's failure and moves on. */
  error(refusal: WireRefusal, cause?: unknown): Error;
}

/**
 * Puts `guard` between a connection and every `data` listener on it, the driver's parser among them. A chunk the
 * guard refuses never reaches them, and an exception a listener throws while reading a chunk (a parser that overflows
 * its stack on a reply nested thousands deep, driver code that meets a value it never expected) does not escape to the
 * event loop, where it would end the process. Either way the connection is destroyed with `guard.error(…)`, which the
 * driver reports through its own `error` and `close` handling, as any lost connection, and the next attempt starts
 * from a fresh connection and parser.
 *
 * It wraps the stream's `emit`: the one point that sees each chunk before every listener, whatever order the driver
 * attached them in (ioredis prepends its parser), and the one that can keep a chunk from them.
 */
export function guardIncoming(stream: Duplex, guard: IncomingGuard): void {
  const emit = stream.emit.bind(stream);
  const guarded = (event: string | symbol, ...args: unknown[]): boolean => {
    const [chunk] = args;
    if (event !== 'data' || !Buffer.isBuffer(chunk)) return emit(event, ...args);
    // A chunk read before the refusal took effect belongs to a connection that is over.
    if (stream.destroyed) return false;
    const refusal = guard.inspect?.(chunk);
    if (refusal) {
      stream.destroy(guard.error(refusal));
      return false;
    }
    try {
      return emit(event, ...args);
    } catch (thrown) {
      stream.destroy(guard.error(guard.unreadable, thrown));
      return false;
    }
  };
  stream.emit = guarded as Duplex['emit'];
}
