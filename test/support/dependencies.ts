import { FaultProxy } from './fault-proxy';

/** The machine's shared servers; tests never stop them, they put a {@link FaultProxy} in between. */
export const SHARED_POSTGRES = { host: '127.0.0.1', port: 5432 };
export const SHARED_REDIS = { host: '127.0.0.1', port: 6379 };

/**
 * Check timeouts of a few hundred ms for suites that wait on hung dependencies, so each timeout they sit through is
 * cheap. The boot-and-recovery suite keeps the defaults (2 s database, 1 s cache), so those stay covered.
 */
export const SHORT_TIMEOUTS = { HEALTH_DB_TIMEOUT_MS: '500', HEALTH_CACHE_TIMEOUT_MS: '250' } as const;

/** A proxy in front of the shared PostgreSQL and one in front of the shared Redis, with the env to point an app at them. */
export interface ProxiedDependencies {
  readonly db: FaultProxy;
  readonly cache: FaultProxy;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts both proxies in `pass` mode. */
export async function proxyDependencies(): Promise<ProxiedDependencies> {
  const db = await FaultProxy.start(SHARED_POSTGRES);
  const cache = await FaultProxy.start(SHARED_REDIS);
  return {
    db,
    cache,
    env: {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${db.port}/postgres`,
      REDIS_URL: `redis://127.0.0.1:${cache.port}`,
    },
    close: async () => {
      await db.close();
      await cache.close();
    },
  };
}
