import type { Client, QueryResultRow } from 'pg';
import { untilAborted } from '../common/timeout';
import type { PostgresWire } from './postgres-wire';

/** What a session needs of pg: its `Client` class (loaded when first needed, as TypeORM is). */
export type ClientClass = new (config: ConstructorParameters<typeof Client>[0]) => Client;

/**
 * pg's `Client` class, loaded at the first use, with every connection guarded by `wire`: a hostile server can neither
 * freeze pg's parser nor make it throw into the event loop (see {@link PostgresWire}).
 */
export const guardedClientClass = (wire: PostgresWire) => async (): Promise<ClientClass> =>
  wire.clientClass((await import('pg')).Client);

/** A lost connection surfaces through the query that was using it; the event itself needs no action. */
function ignoreClientError(): void {}

/**
 * One connection to one PostgreSQL server, kept between queries and opened again after it failed: for the checks
 * that ask a server by itself (a replica, a host of a multi-host URL) rather than through the data source's pool,
 * without a connection per probe. A query that fails, or whose `signal` aborts, cuts the socket at once and drops the
 * connection (a graceful end would wait on a hung server); the next query opens a new one.
 */
export class PostgresSession {
  private current?: { readonly client: Client; readonly connected: Promise<void> };

  constructor(
    private readonly url: string,
    /** Bounds the connect and each query, as the probe's own timeout does. */
    private readonly timeoutMs: number,
    /** {@link guardedClientClass}. */
    private readonly clientClass: () => Promise<ClientClass>,
  ) {}

  /** Runs `sql` and answers its rows; rejects with pg's error, or with the abort's reason once `signal` aborts. */
  async query<R extends QueryResultRow>(sql: string, signal: AbortSignal): Promise<R[]> {
    signal.throwIfAborted();
    const session = this.current ?? (await this.open());
    signal.throwIfAborted();
    const onAbort = (): void => this.drop(session.client);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Raced with the abort as well: pg settles a connect or query on a cut socket, but nothing may wait on that.
      await untilAborted(session.connected, signal);
      const { rows } = await untilAborted(session.client.query<R>(sql), signal);
      return rows;
    } catch (error) {
      this.drop(session.client);
      throw signal.aborted ? (signal.reason as Error) : error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Closes the connection, if any, without waiting on the server (a graceful end would wait on a hung one). */
  close(): void {
    if (this.current) this.drop(this.current.client);
  }

  private async open(): Promise<NonNullable<PostgresSession['current']>> {
    const Client = await this.clientClass();
    // Another query may have opened one while the class loaded.
    if (this.current) return this.current;
    const client = new Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.timeoutMs,
      query_timeout: this.timeoutMs,
      keepAlive: true,
      application_name: 'secuscan-health',
    });
    client.on('error', ignoreClientError);
    const session = { client, connected: client.connect().then(() => undefined) };
    // A failed connect is reported to the query that awaits it; unawaited it must not be an unhandled rejection.
    session.connected.catch(() => undefined);
    this.current = session;
    return session;
  }

  private drop(client: Client): void {
    if (this.current?.client === client) this.current = undefined;
    // Cut, not `end()`: after `end()`, pg never settles a connect still in progress. The `error` pg emits for the
    // cut goes to the listener above.
    client.connection.stream.destroy();
  }
}
