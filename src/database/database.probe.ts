import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { describeFailure } from '../common/redact';
import { DATA_SOURCE_LOADER, type DataSourceLoader } from './data-source';
import { detachPool, poolOf } from './pg-internals';
import { NotPostgresError, PostgresPeer } from './postgres-peer';
import type { PostgresEndpoint } from './postgres-url';
import { PostgresWire } from './postgres-wire';
import { PrimaryLocator, ReadOnlyStandbyError } from './primary-locator';

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
 * The only code that talks to PostgreSQL for health. It creates and initialises the TypeORM data source at the first
 * check, off the boot path, and again whenever a probe finds it uninitialised, so the service starts with the
 * database down and recovers without a restart. `ping` runs `SELECT 1` on a client of the data source's own pool;
 * when the caller aborts it destroys that client's socket and releases the client as broken, so a hung server holds
 * no pool slot or socket: a bare race against a timer would leave the query running on its connection.
 * The data source points at the server the {@link PrimaryLocator} names; when that changes (a failover), the old
 * data source is closed and one for the new server takes its place.
 */
@Injectable()
export class DatabaseProbe implements OnApplicationShutdown {
  private readonly logger = new Logger('DatabaseProbe');
  private dataSource?: DataSource;
  private initializing?: Promise<void>;
  private closed = false;
  /** The server the data source points at. */
  private endpoint: PostgresEndpoint;
  /** Tells a server of another kind at the address in use from a PostgreSQL that fails. */
  private peer: PostgresPeer;
  /** The foreign-peer message last logged, until a probe succeeds: each is logged once, not per probe. */
  private foreignLogged?: string;

  constructor(
    @Inject(DATA_SOURCE_LOADER) private readonly loadDataSource: DataSourceLoader,
    private readonly locator: PrimaryLocator,
    private readonly wire: PostgresWire,
  ) {
    this.endpoint = locator.endpoints[0];
    this.peer = PostgresPeer.of({ options: { url: this.endpoint.url } });
  }

  /** Initialises the data source once; concurrent callers share the attempt, a failed attempt may be retried. */
  connect(): Promise<void> {
    if (this.dataSource?.isInitialized) return Promise.resolve();
    if (this.closed) return Promise.reject(new DatabaseUnavailableError('the service is shutting down'));
    const initializing = (this.initializing ??= this.initialize().finally(() => {
      // A failover may have replaced this attempt meanwhile; the newer one stays.
      if (this.initializing === initializing) this.initializing = undefined;
    }));
    return initializing;
  }

  /** Loads TypeORM and creates the data source (not connected) unless done already. */
  async load(): Promise<DataSource> {
    const endpoint = this.endpoint;
    const dataSource = this.dataSource ?? (await this.loadDataSource(endpoint.url));
    // Re-pointed while TypeORM loaded: the data source of the newer server is the one to use.
    if (this.endpoint !== endpoint) return this.load();
    return (this.dataSource ??= dataSource);
  }

  /**
   * Points the data source at `endpoint` (a failover): the old one is dropped at once and closed in the background,
   * its sockets cut (its server is dead or a standby), so nothing waits on it; the next connect builds the new one.
   */
  private repoint(endpoint: PostgresEndpoint): void {
    const [old, initializing] = [this.dataSource, this.initializing];
    this.endpoint = endpoint;
    this.peer = PostgresPeer.of({ options: { url: endpoint.url } });
    this.dataSource = undefined;
    this.initializing = undefined;
    if (!old) return;
    void (initializing ?? Promise.resolve()).catch(() => undefined).then(() => this.abandonPool(old));
  }

  private async initialize(): Promise<void> {
    const dataSource = await this.load();
    if (dataSource.isInitialized) return;
    if (this.closed) throw new DatabaseUnavailableError('the service is shutting down');
    try {
      await dataSource.initialize();
    } catch (error) {
      this.abandonPool(dataSource);
      throw error;
    }
  }

  /**
   * Runs the probe on the server the locator names and answers which one it was. With several hosts, a server that
   * fails or turns out to be a standby sends the locator looking for the writable one, and the probe is tried once
   * more on it, so a failover is followed by the probe that meets it.
   */
  async ping(signal: AbortSignal): Promise<PostgresEndpoint> {
    for (let attempt = 1; ; attempt++) {
      const endpoint = await this.locator.current(signal);
      if (endpoint !== this.endpoint) this.repoint(endpoint);
      try {
        await this.probe(endpoint, signal);
        this.foreignLogged = undefined;
        return endpoint;
      } catch (error) {
        if (!this.locator.lost(endpoint) || attempt > 1 || signal.aborted) throw error;
      }
    }
  }

  /**
   * Runs `SELECT 1` on `endpoint`; rejects with the driver's error, or with a {@link NotPostgresError} saying what the
   * server sent when it broke the protocol meanwhile (pg's own words for that name its internals: `received invalid
   * response: 51`, `not queryable`).
   */
  private async probe(endpoint: PostgresEndpoint, signal: AbortSignal): Promise<void> {
    const mark = this.wire.mark();
    try {
      await this.selectOne(endpoint, signal);
    } catch (error) {
      const violation =
        signal.aborted || error instanceof NotPostgresError ? undefined : this.wire.violationSince(mark, error);
      const failure = violation === undefined ? error : this.peer.brokeProtocol(violation, error);
      if (failure instanceof NotPostgresError) this.logForeign(failure);
      throw failure;
    }
  }

  /**
   * Says in the log what the peer at the address sent, once per message until a probe succeeds, as the Redis
   * connection log does: the check's own line names only its first failure, which is often the driver's
   * `Connection terminated unexpectedly` on the connection the peer's arrival cut, and the status stays `error` after.
   */
  private logForeign(error: NotPostgresError): void {
    if (error.message === this.foreignLogged) return;
    this.foreignLogged = error.message;
    this.logger.warn(`${error.message}: check DATABASE_URL`);
  }

  /**
   * Runs `SELECT 1` with `pg_is_in_recovery()` (connecting first when needed); rejects with the driver's error, or
   * with a {@link ReadOnlyStandbyError} when the server is a standby. When `signal` aborts, the client in use is cut
   * off at once, and a client that arrives later is discarded instead of used.
   */
  private async selectOne(endpoint: PostgresEndpoint, signal: AbortSignal): Promise<void> {
    await this.peer.verify(signal);
    await this.connect().catch(async (error: unknown) => {
      await this.peer.explain(error, signal);
      throw error;
    });
    signal.throwIfAborted();
    const pool = this.dataSource && poolOf(this.dataSource);
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
      const { rows } = await client.query<{ in_recovery: boolean }>('SELECT 1, pg_is_in_recovery() AS in_recovery');
      lease.release();
      // Answering is not enough: a standby cannot take a single write (`discard` below is a no-op once released).
      if (rows[0]?.in_recovery === true) {
        throw new ReadOnlyStandbyError(`connected to a read-only standby: ${endpoint.address} is in recovery`);
      }
    } catch (error) {
      // The driver may already have cut the connection; never hand it back to the pool as healthy.
      lease.discard(error);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Stops new connects, waits for one still in flight (bounded by the connect and query timeouts: finishing after
   * the close, it would open a pool nobody ends), then destroys the data source; pg-pool ends its clients without
   * waiting on the server, so a hung PostgreSQL cannot hold the shutdown.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.initializing?.catch(() => undefined);
    if (!this.dataSource?.isInitialized) return;
    await this.dataSource
      .destroy()
      .catch((error: unknown) => this.logger.error(describeFailure('closing the database connections failed', error)));
  }

  /**
   * TypeORM creates the pool, then runs its start-up queries (version, database, schema) on a client of it; when
   * one of those fails or times out, `initialize()` rejects but neither ends the pool nor returns the client, and
   * the next attempt builds a new pool over it. Each failed attempt against a slow or stalled server would leak a
   * connection. So a failed attempt's pool is torn down here: sockets cut, pool ended, reference dropped.
   */
  private abandonPool(dataSource: DataSource): void {
    const detached = detachPool(dataSource);
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
