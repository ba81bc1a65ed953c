import {
  hostPort,
  parseHostListUrl,
  REDIS_DATABASES,
  redisDatabasePath,
  type ListedHost,
} from '../config/connection-url';
import { ConfigError } from '../config/settings';

/** The schemes of the Redis topologies; any other Redis URL names one server. */
export const SENTINEL_SCHEME = 'redis+sentinel:';
export const CLUSTER_SCHEME = 'redis+cluster:';

/** Credentials from a topology URL's user part: for the Redis servers (master, replicas, cluster nodes). */
export interface RedisCredentials {
  readonly username?: string;
  readonly password?: string;
}

/** How the service reaches Redis: one server, a master found through Sentinel, or a Cluster. */
export type RedisTopology =
  | { readonly mode: 'standalone' }
  | ({
      readonly mode: 'sentinel';
      /** The sentinels named in the URL, asked in this order. */
      readonly sentinels: readonly ListedHost[];
      /** The name the sentinels monitor the master under. */
      readonly masterName: string;
      readonly database: number;
    } & RedisCredentials)
  | ({
      readonly mode: 'cluster';
      /** The startup nodes; the client learns the others from them. */
      readonly nodes: readonly ListedHost[];
    } & RedisCredentials);

/** Whether `raw` names a topology (Sentinel or Cluster) rather than one server; case-insensitive, as schemes are. */
export function isTopologyUrl(raw: string): boolean {
  const scheme = `${raw.slice(0, Math.max(0, raw.indexOf('://'))).toLowerCase()}:`;
  return scheme === SENTINEL_SCHEME || scheme === CLUSTER_SCHEME;
}

/**
 * Parses `redis+sentinel://[[user]:password@]h1:26379,h2:26379/<master-name>[/<db>]` or
 * `redis+cluster://[[user]:password@]h1:7000,h2:7001` for the variable `name`. A bad value is one
 * {@link ConfigError} line naming the variable and never echoing the value. The password is the Redis servers'; the
 * sentinels are asked without one (a sentinel with `requirepass` of its own is not supported).
 */
export function parseRedisTopology(name: string, raw: string): Exclude<RedisTopology, { mode: 'standalone' }> {
  const url = parseHostListUrl(name, raw, { [SENTINEL_SCHEME]: 26379, [CLUSTER_SCHEME]: 6379 });
  const credentials: RedisCredentials = {
    ...(url.username ? { username: url.username } : {}),
    ...(url.password ? { password: url.password } : {}),
  };
  if (url.protocol === CLUSTER_SCHEME) {
    if (url.path !== '' && url.path !== '/') {
      throw new ConfigError(
        `${name} names a database, but a Redis Cluster has only database 0: end it after the hosts`,
      );
    }
    return { mode: 'cluster', nodes: url.hosts, ...credentials };
  }
  const [master = '', db, ...rest] = url.path.replace(/^\//, '').split('/');
  if (!master) {
    throw new ConfigError(
      `${name} names no master: redis+sentinel://host:port,host:port/<master-name>, the name the sentinels monitor`,
    );
  }
  const masterName = decoded(master);
  if (masterName === undefined || !/^[\x21-\x7e]{1,128}$/.test(masterName)) {
    throw new ConfigError(`${name} master name must be 1 to 128 printable characters without spaces`);
  }
  if (rest.length > 0 || redisDatabasePath(`/${db ?? ''}`)) {
    throw new ConfigError(
      `${name} database must be a number from 0 to ${REDIS_DATABASES - 1} (the path after the master name, e.g. ` +
        '/mymaster/0)',
    );
  }
  return {
    mode: 'sentinel',
    sentinels: url.hosts,
    masterName,
    database: db ? Number(db) : 0,
    ...credentials,
  };
}

/** Where a topology is, for messages: `master "mymaster" via 10.0.0.5:26379, …` or `cluster 10.0.0.5:7000, …`. */
export function topologyAddress(topology: Exclude<RedisTopology, { mode: 'standalone' }>): string {
  const list = (hosts: readonly ListedHost[]): string => hosts.map(hostPort).join(', ');
  return topology.mode === 'sentinel'
    ? `master "${topology.masterName}" via ${list(topology.sentinels)}`
    : `cluster ${list(topology.nodes)}`;
}

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
