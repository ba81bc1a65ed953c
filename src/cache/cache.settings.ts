import { connectionUrl, redisDatabaseOf, redisDatabasePath } from '../config/connection-url';
import { defineSettings, integer, SettingsOf } from '../config/settings';
import { isTopologyUrl, parseRedisTopology, type RedisTopology } from './redis-topology-url';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** One server's URL. The topology schemes are listed so that a wrong scheme's message names every form. */
const SERVER_URL = {
  protocols: ['redis:', 'rediss:', 'redis+sentinel:', 'redis+cluster:'],
  allowedQuery: [],
  path: redisDatabasePath,
};

const redisUrl = connectionUrl('REDIS_URL', {
  default: DEFAULT_REDIS_URL,
  description:
    'Redis to check: `redis://` or `rediss://` (TLS), a database `/0`–`/15`, no query; or Sentinel or Cluster ' +
    '(`redis+sentinel://`, `redis+cluster://`, see [Redis](replication.md#redis)).',
  rules: SERVER_URL,
});

/** Redis: where it is and how long a probe may take. */
export const CACHE_SETTINGS = defineSettings(
  'cache',
  {
    url: {
      ...redisUrl,
      // A topology URL names several hosts, which the URL parser behind `connectionUrl` refuses.
      parse: (raw = DEFAULT_REDIS_URL, context) =>
        isTopologyUrl(raw) ? (parseRedisTopology('REDIS_URL', raw), raw) : redisUrl.parse(raw, context),
    },
    timeoutMs: integer('HEALTH_CACHE_TIMEOUT_MS', {
      default: 1000,
      min: 1,
      max: 600_000,
      description:
        'The cache check’s timeout (`PING`), in ms; a connection attempt gives up at four fifths of it, so a failed TLS handshake is named.',
    }),
  },
  (values) => {
    const topology: RedisTopology = isTopologyUrl(values.url)
      ? parseRedisTopology('REDIS_URL', values.url)
      : { mode: 'standalone' };
    return {
      ...values,
      topology,
      /** The database index the client selects (from the URL's path). */
      database: databaseOf(topology, values.url),
      tls: values.url.startsWith('rediss:'),
    };
  },
);

/** The parsed {@link CACHE_SETTINGS}. */
export type CacheSettings = SettingsOf<typeof CACHE_SETTINGS>;

function databaseOf(topology: RedisTopology, url: string): number {
  switch (topology.mode) {
    case 'standalone':
      return redisDatabaseOf(url);
    case 'sentinel':
      return topology.database;
    case 'cluster':
      return 0;
  }
}
