import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { TimeoutError, withTimeout } from '../common/timeout';

/** The parts of a pg client that the typings hide and a hung probe needs: its socket. */
interface ClientWithSocket {
  connection?: { stream?: { destroy(): void } };
}

/** What a probe timeout reports as having timed out. */
const PROBE = 'database SELECT 1';

/**
 * The pool bounds a hung connect (pg-pool's `connectionTimeoutMillis`) and a hung query (pg's `query_timeout`) with
 * the probe's own timeout, and either may fire a moment before the probe's timer. Their errors are then the same
 * timeout, and are reported as one.
 */
function isDriverTimeout(error: unknown): boolean {
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  return /connection timeout|timeout exceeded when trying to connect|query read timeout/i.test(message);
}

/** The data source has no connection pool (not yet connected, or shutting down). */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/**
 * The only code that talks to PostgreSQL for health. It initialises the TypeORM data source off the boot path and
 * again whenever a probe finds it uninitialised, so the service starts with the database down and recovers without
 * a restart. `ping` runs `SELECT 1` on a client of the data source's own pool; when the deadline passes it destroys
 * that client's socket and releases the client as broken, so a hung server holds no pool slot or socket (pitfall 3).
 */
@Injectable()
export class DatabaseProbe implements OnApplicationBootstrap, OnApplicationShutdown {
  private initializing?: Promise<void>;
  private closed = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  /** Runs `SELECT 1` within `timeoutMs` (connect included); rejects with a TimeoutError or the driver's error. */
  async ping(timeoutMs: number): Promise<void> {
    let held: PoolClient | undefined;
    let timedOut = false;
    const work = async (): Promise<void> => {
      await this.connect();
      if (timedOut) return;
      const acquired = await this.pool().connect();
      if (timedOut) return discard(acquired, new Error('probe timed out'));
      held = acquired;
      // pg emits `error` on a checked-out client whose socket dies between queries; unheard, it kills the process.
      acquired.on('error', ignoreClientError);
      try {
        await acquired.query('SELECT 1');
      } catch (error) {
        // The driver may already have cut the connection; never hand it back to the pool as healthy.
        if (held) discard(held, error);
        held = undefined;
        throw error;
      }
      if (held) {
        held.removeListener('error', ignoreClientError);
        held.release();
      }
      held = undefined;
    };
    const probe = work().catch((error: unknown) => {
      throw isDriverTimeout(error) ? new TimeoutError(PROBE, timeoutMs) : error;
    });
    await withTimeout(probe, timeoutMs, PROBE, () => {
      timedOut = true;
      if (held) discard(held, new Error('probe timed out'));
      held = undefined;
    });
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
    const driver = this.dataSource.driver as unknown as { master?: Pool & { _clients?: ClientWithSocket[] } };
    const pool = driver.master;
    if (!pool) return;
    driver.master = undefined;
    for (const client of pool._clients ?? []) client.connection?.stream?.destroy();
    pool.end().catch(() => undefined);
  }

  private pool(): Pool {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) throw new DatabaseUnavailableError('database connection pool is not ready');
    return pool;
  }
}

/** A lost connection surfaces through the query that was using it; the event itself needs no action. */
function ignoreClientError(): void {}

/** Closes the client's socket now (a graceful end would wait on a hung server) and drops it from the pool. */
function discard(client: PoolClient, reason: unknown): void {
  client.removeListener('error', ignoreClientError);
  (client as unknown as ClientWithSocket).connection?.stream?.destroy();
  client.release(reason instanceof Error ? reason : true);
}
