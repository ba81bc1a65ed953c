import { connectionUrl, redisDatabaseOf, redisDatabasePath } from '../config/connection-url';
import { defineSettings, integer, SettingsOf } from '../config/settings';

/** Redis: where it is and how long a probe may take. */
export const CACHE_SETTINGS = defineSettings(
  'cache',
  {
    url: connectionUrl('REDIS_URL', {
      default: 'redis://127.0.0.1:6379',
      description:
        'Redis to check: `redis://` or `rediss://` (TLS), an optional database `/0`–`/15`, no query parameters.',
      rules: { protocols: ['redis:', 'rediss:'], allowedQuery: [], path: redisDatabasePath },
    }),
    timeoutMs: integer('HEALTH_CACHE_TIMEOUT_MS', {
      default: 1000,
      min: 1,
      max: 600_000,
      description:
        'The cache check’s timeout (`PING`), in ms; a connection attempt gives up at four fifths of it, so a failed TLS handshake is named.',
    }),
  },
  (values) => ({
    ...values,
    /** The database index the client selects (from the URL's path). */
    database: redisDatabaseOf(values.url),
    tls: values.url.startsWith('rediss:'),
  }),
);

/** The parsed {@link CACHE_SETTINGS}. */
export type CacheSettings = SettingsOf<typeof CACHE_SETTINGS>;
