import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { withTimeout } from '../common/timeout';

/** The parts of a pg client that the typings hide and a hung probe needs: its socket. */
interface ClientWithSocket {
  connection?: { stream?: { destroy(): void } };
}

/** The database did not answer before the connection could be made; distinct from a timeout in the report. */
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
export class DatabaseProbe implements OnApplicationBootstrap {
  private initializing?: Promise<void>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Starts connecting without waiting: the app must listen even while PostgreSQL is down. */
  onApplicationBootstrap(): void {
    this.connect().catch(() => undefined);
  }

  /** Initialises the data source once; concurrent callers share the attempt, a failed attempt may be retried. */
  connect(): Promise<void> {
    if (this.dataSource.isInitialized) return Promise.resolve();
    return (this.initializing ??= this.dataSource
      .initialize()
      .then(() => undefined)
      .finally(() => (this.initializing = undefined)));
  }

  /** Runs `SELECT 1` within `timeoutMs` (connect included); rejects with a TimeoutError or the driver's error. */
  async ping(timeoutMs: number): Promise<void> {
    let held: PoolClient | undefined;
    let timedOut = false;
    const work = async (): Promise<void> => {
      await this.connect();
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
    await withTimeout(work(), timeoutMs, 'database SELECT 1', () => {
      timedOut = true;
      if (held) discard(held, new Error('probe timed out'));
      held = undefined;
    });
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
