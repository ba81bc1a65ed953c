import { connect, type Socket } from 'node:net';

/** PostgreSQL's `SSLRequest` (length 8, code 80877103), which every PostgreSQL answers at once with `S` or `N`. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** How long the identification may take: PostgreSQL answers within a round trip. */
const IDENTIFY_TIMEOUT_MS = 1_000;

/** A connection failure that a peer of another kind also causes: pg reads its answer as a stream it cannot end. */
function mayBeWrongPeer(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated unexpectedly|timeout expired|connection timeout|ECONNRESET/i.test(message);
}

/** The peer of a database URL is not PostgreSQL; the message names its address and nothing of the URL else. */
export class NotPostgresError extends Error {
  override name = 'NotPostgresError';
}

/**
 * Tells a PostgreSQL that fails from a server of another kind at the configured address. pg reports an HTTP server
 * as `Connection terminated unexpectedly` and a Redis port as a connect timeout (Redis waits for a line end that the
 * startup message never has), neither of which points at the URL's port. After such a failure this asks the peer
 * directly, on a socket of its own, and remembers the answer, so the next probes say what is there; while the peer
 * is known to be foreign, each probe asks again first (one round trip), so a corrected server shows at once.
 */
export class PostgresPeer {
  /** Set while the peer at the address is known not to speak PostgreSQL. */
  private foreign?: NotPostgresError;
  private asking?: Promise<void>;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /**
   * The peer of a data source configured by a `postgres://` URL: its host and port (5432 when it names none).
   * Without a URL (a data source configured otherwise) it never calls a peer foreign.
   */
  static of(dataSource: { readonly options?: object }): PostgresPeer {
    const url = (dataSource.options as { url?: string } | undefined)?.url;
    if (!url) return new PostgresPeer('', 0);
    const { hostname, port } = new URL(url);
    return new PostgresPeer(hostname.replace(/^\[|\]$/g, ''), Number(port || 5432));
  }

  /** Rejects with a {@link NotPostgresError} when the peer was found foreign and still is (asked within `signal`). */
  async verify(signal: AbortSignal): Promise<void> {
    if (!this.foreign) return;
    await this.ask(signal);
    if (this.foreign) throw this.foreign;
  }

  /**
   * After a failed connect: when `error` is one a foreign peer causes, asks the peer (within `signal`; the answer
   * is kept when it comes later) and rejects with a {@link NotPostgresError} if it is not PostgreSQL. Otherwise
   * resolves, and the caller reports `error` as it is.
   */
  async explain(error: unknown, signal: AbortSignal): Promise<void> {
    if (!this.host || !mayBeWrongPeer(error)) return;
    await this.ask(signal);
    if (this.foreign) throw this.foreign;
  }

  /** The error for a peer that broke the protocol on a connection of the pool: `reason` says what it sent. */
  brokeProtocol(reason: string, cause: unknown): NotPostgresError {
    return new NotPostgresError(`the server at ${this.address} does not speak the PostgreSQL protocol (${reason})`, {
      cause,
    });
  }

  private async ask(signal: AbortSignal): Promise<void> {
    const asking = (this.asking ??= identify(this.host, this.port)
      .then((kind) => {
        this.foreign =
          kind === undefined || kind === 'postgres'
            ? undefined
            : new NotPostgresError(
                `the server at ${this.address} does not speak the PostgreSQL protocol${kind === 'other' ? '' : ` (it answered like ${kind})`}`,
              );
      })
      .finally(() => (this.asking = undefined)));
    if (signal.aborted) return;
    let onAbort = (): void => undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([asking, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private get address(): string {
    return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }
}

/** What kind of server answers at an address, as told by the first bytes it answers. */
export type PeerKind = 'postgres' | 'HTTP' | 'Redis' | 'other';

/**
 * What kind of server answers at `host:port`, or `undefined` when none answered in time (unknown, not foreign).
 * Two questions at once, on sockets of their own: the `SSLRequest`, which PostgreSQL and HTTP servers answer, and a
 * Redis `PING`, since Redis waits for a line end that the `SSLRequest` lacks (PostgreSQL drops that socket unanswered).
 */
export function identify(host: string, port: number): Promise<PeerKind | undefined> {
  const questions = [SSL_REQUEST, Buffer.from('PING\r\n')];
  const decided = new AbortController();
  let unanswered = questions.length;
  return new Promise((resolve) => {
    for (const question of questions) {
      void exchange(host, port, question, decided.signal).then((answer) => {
        if (answer) {
          // The first answer decides (an HTTP server answers both alike); the other socket is dropped.
          decided.abort();
          resolve(peerKindOf(answer));
        } else if (--unanswered === 0) {
          resolve(undefined);
        }
      });
    }
  });
}

/**
 * Connects, writes `question`, and resolves with the first bytes answered, or `undefined` when none came in time or
 * `stop` aborted first.
 */
function exchange(host: string, port: number, question: Buffer, stop: AbortSignal): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host, port });
    const done = (answer: Buffer | undefined): void => {
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
      socket.destroy();
      resolve(answer);
    };
    const onStop = (): void => done(undefined);
    stop.addEventListener('abort', onStop, { once: true });
    const timer = setTimeout(() => done(undefined), IDENTIFY_TIMEOUT_MS);
    timer.unref();
    socket.on('connect', () => socket.write(question));
    socket.once('data', (chunk: Buffer) => done(chunk));
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}

/** What kind of server the first bytes it answered come from. */
export function peerKindOf(answer: Buffer): PeerKind {
  const text = answer.subarray(0, 16).toString('latin1');
  if (text === 'S' || text === 'N' || text.startsWith('E')) return 'postgres';
  if (text.startsWith('HTTP/')) return 'HTTP';
  if (/^[-+:$*]/.test(text)) return 'Redis';
  return 'other';
}
