import type { RedisModuleOptions } from '@nestjs-modules/ioredis';
import type { Cluster, RedisOptions } from 'ioredis';
import type Redis from 'ioredis';
import type { CacheSettings } from './cache.settings';
import { GuardedRedisConnector, GuardedSentinelConnector } from './redis-connector';

/** Longest pause between reconnect attempts: short enough that a returning Redis shows up in the next reports. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/** The pause before reconnect attempt `attempt`: 100 ms more each time, up to {@link MAX_RECONNECT_DELAY_MS}. */
const reconnectDelay = (attempt: number): number => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS);

/**
 * What every connection of the service to a Redis server gets (the master or the one server, each sentinel, each
 * cluster node): fail fast, no offline queue, so a command sent while disconnected rejects at once instead of
 * waiting for the reconnect, and no retries of commands caught by a disconnect. It reconnects by itself in the
 * background with a capped back-off.
 */
export function redisClientBasics(checkTimeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Shorter than the check's own timeout, so a connection that cannot finish (a TLS handshake with a server that
    // does not speak TLS never does) fails with its own reason before the check gives up on it, and the report says
    // why instead of only "timed out", however busy the machine.
    connectTimeout: topologyLimitMs(checkTimeoutMs),
    // A dropped connection is destroyed at once instead of after ioredis's 2 s grace for a FIN that a hung server
    // never sends: nothing may hold a socket past the probe's timeout.
    disconnectTimeout: 0,
    keepAlive: 10_000,
    connectionName: 'secuscan-health',
    retryStrategy: reconnectDelay,
    // Every connection's replies are checked before ioredis parses them: a hostile server cannot crash us.
    Connector: GuardedRedisConnector,
  };
}

/**
 * How long one step may take within a check of `checkTimeoutMs`: a connection attempt, or the answer of one server
 * of a topology (a sentinel, a cluster node). Four fifths of it, at least 1 ms, so a hung one costs its own answer
 * and the check still reports in time.
 */
export function topologyLimitMs(checkTimeoutMs: number): number {
  return Math.max(1, Math.floor(checkTimeoutMs * 0.8));
}

/**
 * The options of the service's Redis client for REDIS_URL: one server; a master found through the sentinels, which
 * ioredis asks again on every reconnect and so follows through a failover (and its ready check refuses a master
 * that turned replica); or an ioredis `Cluster`.
 */
export function redisModuleOptions(
  settings: CacheSettings,
  onClientReady: (client: Redis | Cluster) => void,
): RedisModuleOptions {
  const basics = redisClientBasics(settings.timeoutMs);
  const { topology } = settings;
  switch (topology.mode) {
    case 'standalone':
      return { type: 'single', url: settings.url, options: basics, onClientReady };
    case 'sentinel':
      return {
        type: 'single',
        options: {
          ...basics,
          sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
          name: topology.masterName,
          db: topology.database,
          username: topology.username,
          password: topology.password,
          role: 'master',
          // A hung sentinel would otherwise hold the master's look-up, and so every reconnect, for ever.
          sentinelCommandTimeout: basics.connectTimeout,
          sentinelRetryStrategy: reconnectDelay,
          // The guarded SentinelConnector: a single server's connector would ignore the sentinels.
          Connector: GuardedSentinelConnector,
        },
        onClientReady,
      };
    case 'cluster':
      return {
        type: 'cluster',
        nodes: topology.nodes.map(({ host, port }) => ({ host, port })),
        options: {
          enableOfflineQueue: false,
          // ioredis's ready check drops and reopens every connection while cluster_state is fail; without it the
          // client stays connected to the nodes, and the check can say which slots fail instead of "not connected".
          enableReadyCheck: false,
          clusterRetryStrategy: reconnectDelay,
          slotsRefreshTimeout: basics.connectTimeout,
          // The client drops a node whose connection ends and, by default, asks for the slots again only on a
          // redirection, which the check never meets: refreshed now and then, a node that returned is asked again.
          slotsRefreshInterval: 5_000,
          redisOptions: { ...basics, username: topology.username, password: topology.password },
        },
        onClientReady,
      };
  }
}
