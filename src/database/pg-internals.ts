import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The two pieces of TypeORM's and pg-pool's private state the database probe relies on, in one place so a
 * dependency upgrade that moves them breaks here, visibly, and nowhere else. Both are pinned by package-lock.json
 * and covered by the probe's tests.
 */
interface PostgresDriverInternals {
  /** TypeORM's PostgresDriver keeps its pg pool here once `initialize()` has created it. */
  master?: Pool & { _clients?: PoolClient[] };
}

function driverOf(dataSource: DataSource): PostgresDriverInternals {
  return dataSource.driver as unknown as PostgresDriverInternals;
}

/** The data source's pg pool, or `undefined` before `initialize()` created one. */
export function poolOf(dataSource: DataSource): Pool | undefined {
  return driverOf(dataSource).master;
}

/**
 * Detaches the data source's pool and returns the clients it had handed out or kept idle, so the caller can cut
 * their sockets: `initialize()` keeps a failed attempt's pool and client, and the next attempt would build a new
 * pool over them.
 */
export function detachPool(dataSource: DataSource): { pool: Pool; clients: readonly PoolClient[] } | undefined {
  const driver = driverOf(dataSource);
  const pool = driver.master;
  if (!pool) return undefined;
  driver.master = undefined;
  return { pool, clients: [...(pool._clients ?? [])] };
}
