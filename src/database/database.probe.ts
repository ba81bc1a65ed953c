import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { detachPool, poolOf } from './pg-internals';
import { PostgresPeer } from './postgres-peer';

/**
 * Whether `error` is the driver giving up on a connect, a wait for a pool slot or a query after the configured
 * timeout, which is the check's own: that is a timeout of the check, not some other failure.
 */
export function isDriverTimeout(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /connection timeout|timeout exceeded when trying to connect|query read timeout/i.test(message);
}

/** The data source has no connection pool (not yet connected, or shutting down). */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/**
 * The only code that talks to PostgreSQL for health. It initialises the TypeORM data source off the boot path and
 * again whenever a probe finds it uninitialised, so the service starts with the database down and recovers without
 * a restart. `ping` runs `SELECT 1` on a client of the data source's own pool; when the caller aborts it destroys
 * that client's socket and releases the client as broken, so a hung server holds no pool slot or socket: a bare
 * race against a timer would leave the query running on its connection.
 */
@Injectable()
export class DatabaseProbe implements OnApplicationBootstrap, OnApplicationShutdown {
  private initializing?: Promise<void>;
  private closed = false;
  /** Tells a server of another kind at the URL's address from a PostgreSQL that fails. */
  private readonly peer: PostgresPeer;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.peer = PostgresPeer.of(dataSource);
  }

  /** Starts connecting without waiting: the app must listen even while PostgreSQL is down. */
  onApplicationBootstrap(): void {
    this.connect().catch(() => undefined);
  }

  /** Initialises the data source once; concurrent callers share the attempt, a failed attempt may be retried. */
  connect(): Promise<void> {
    if (this.dataSource.isInitialized) return Promise.resolve();
    if (this.closed) return Promise.reject(new DatabaseUnavailableError('the service is shutting down'));
    return (this.initializing ??= this.dataSource
      .initialize()
      .then(
        () => undefined,
        (error: unknown) => {
          this.abandonPool();
          throw error;
        },
      )
      .finally(() => (this.initializing = undefined)));
  }

  /**
   * Runs `SELECT 1` (connecting first when needed); rejects with the driver's error. When `signal` aborts, the
   * client in use is cut off at once, and a client that arrives later is discarded instead of used.
   */
  async ping(signal: AbortSignal): Promise<void> {
    await this.peer.verify(signal);
    await this.connect().catch(async (error: unknown) => {
      await this.peer.explain(error, signal);
      throw error;
    });
    signal.throwIfAborted();
    const pool = poolOf(this.dataSource);
    if (!pool) throw new DatabaseUnavailableError('database connection pool is not ready');
    const client = await pool.connect();
    const lease = new Lease(client);
    if (signal.aborted) {
      lease.discard(new Error('probe aborted'));
      signal.throwIfAborted();
    }
    const onAbort = (): void => lease.discard(new Error('probe aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.query('SELECT 1');
      lease.release();
    } catch (error) {
      // The driver may already have cut the connection; never hand it back to the pool as healthy.
      lease.discard(error);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Stops new connects and waits for one still in flight (bounded by the connect and query timeouts): finishing
   * after the close, it would open a pool nobody ends. `@nestjs/typeorm` (a global module, shut down after this
   * one) then destroys the data source; pg-pool ends its clients without waiting on the server, so a hung
   * PostgreSQL cannot hold the shutdown.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.initializing?.catch(() => undefined);
  }

  /**
   * TypeORM creates the pool, then runs its start-up queries (version, database, schema) on a client of it; when
   * one of those fails or times out, `initialize()` rejects but neither ends the pool nor returns the client, and
   * the next attempt builds a new pool over it. Each failed attempt against a slow or stalled server would leak a
   * connection. So a failed attempt's pool is torn down here: sockets cut, pool ended, reference dropped.
   */
  private abandonPool(): void {
    const detached = detachPool(this.dataSource);
    if (!detached) return;
    for (const client of detached.clients) client.connection.stream.destroy();
    detached.pool.end().catch(() => undefined);
  }
}

/** A lost connection surfaces through the query that was using it; the event itself needs no action. */
function ignoreClientError(): void {}

/** One checked-out pool client, handed back exactly once: healthy, or cut off and dropped from the pool. */
class Lease {
  private returned = false;

  constructor(private readonly client: PoolClient) {
    // pg emits `error` on a checked-out client whose socket dies between queries; unheard, it kills the process.
    client.on('error', ignoreClientError);
  }

  release(): void {
    if (this.returned) return;
    this.returned = true;
    this.client.removeListener('error', ignoreClientError);
    this.client.release();
  }

  /** Closes the socket now (a graceful end would wait on a hung server) and drops the client from the pool. */
  discard(reason: unknown): void {
    if (this.returned) return;
    this.returned = true;
    // The `error` listener stays: cutting the socket may still make the dead client emit one.
    this.client.connection.stream.destroy();
    this.client.release(reason instanceof Error ? reason : true);
  }
}
