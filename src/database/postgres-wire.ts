import { Injectable } from '@nestjs/common';
import type { Client, ClientConfig } from 'pg';
import { guardIncoming, WireRefusal, type IncomingGuard } from '../common/guarded-stream';
import { PgMessageScanner } from './pg-message-scanner';

/** The service's connection refused what the server sent before pg read it; `reason` says what ("it sent …"). */
export class PostgresProtocolError extends Error {
  override name = 'PostgresProtocolError';

  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`the server broke the PostgreSQL protocol: ${reason}`, options);
  }
}

/** pg's words for a server that broke the protocol in ways the scanner cannot see, and what to say instead. */
const DRIVER_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^received invalid response: /, 'it sent an unknown message type'],
  [/^Received unexpected \w+ message from backend/, 'it sent a message out of turn'],
];

/** What the peer sent, when `error` says it broke the PostgreSQL protocol. */
export function protocolViolation(error: unknown): string | undefined {
  if (error instanceof PostgresProtocolError) return error.reason;
  const message = error instanceof Error ? error.message : '';
  return DRIVER_WORDS.find(([words]) => words.test(message))?.[1];
}

/**
 * Guards every connection of the data source's pool, through the pool's `Client` option, and remembers the last
 * protocol violation it saw, so a probe that fails because of one can say so even when pg reports it only as
 * `Client has encountered a connection error and is not queryable`.
 *
 * Each client gets two things. Its connection's bytes pass a {@link PgMessageScanner} and a catch before pg's parser
 * (see `guardIncoming`): a hostile server can neither hang pg-protocol nor make it throw into the event loop. And
 * it gets an `error` listener for its whole life: pg emits `error` on a client whose connection fails outside a
 * query (a `Q` right after ReadyForQuery, in the same packet), pg-pool listens only while the client is idle in the
 * pool and TypeORM not at all while it holds one, and an unheard `error` event ends the process.
 */
@Injectable()
export class PostgresWire {
  private violations = 0;
  private lastViolation?: string;

  /** pg's `Client` (the class the pool makes its clients of) with every client guarded and heard. */
  clientClass(Base: typeof Client): typeof Client {
    const guard = (client: Client): void => this.guard(client);
    return class GuardedClient extends Base {
      constructor(config?: string | ClientConfig) {
        super(config);
        guard(this);
      }
    };
  }

  /** A mark to pass to {@link violationSince}: how many violations were seen so far. */
  mark(): number {
    return this.violations;
  }

  /** What the peer sent when `error` is a protocol violation, or else when a client saw one after `mark`. */
  violationSince(mark: number, error: unknown): string | undefined {
    return protocolViolation(error) ?? (this.violations > mark ? this.lastViolation : undefined);
  }

  private guard(client: Client): void {
    const { connection } = client;
    // With TLS the raw socket carries one unframed byte (the answer to SSLRequest), then TLS records: the messages
    // are read from the TLS socket pg puts over it, which is the connection's stream from `sslconnect` on.
    guardIncoming(connection.stream, postgresGuard(client.ssl ? undefined : new PgMessageScanner()));
    connection.on('sslconnect', () => guardIncoming(connection.stream, postgresGuard(new PgMessageScanner())));
    client.on('error', (error: Error) => this.heard(error));
  }

  private heard(error: Error): void {
    const violation = protocolViolation(error);
    if (violation === undefined) return;
    this.violations++;
    this.lastViolation = violation;
  }
}

/** The guard of one connection: a scanner of its own, since a message may be split across chunks. */
function postgresGuard(scanner: PgMessageScanner | undefined): IncomingGuard {
  return {
    inspect: scanner && ((chunk) => scanner.inspect(chunk)),
    unreadable: new WireRefusal('it sent a message the client could not read'),
    error: (refusal, cause) =>
      new PostgresProtocolError(refusal.reason ?? 'it sent bytes that are not a message', { cause }),
  };
}
