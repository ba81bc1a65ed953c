import { connectionUrl } from '../config/connection-url';
import { defineSettings, integer, SettingsOf } from '../config/settings';

/** PostgreSQL: where it is, how long a probe may take, how many connections the probe may hold. */
export const DATABASE_SETTINGS = defineSettings('database', {
  url: connectionUrl('DATABASE_URL', {
    default: 'postgres://postgres@127.0.0.1:5432/postgres',
    description:
      'PostgreSQL to check. Query parameters: only `sslmode`, `sslrootcert`, `sslcert`, `sslkey`; percent-escape ' +
      'reserved characters in the user name and password.',
    rules: {
      protocols: ['postgres:', 'postgresql:'],
      // TLS settings are the operator's to choose; everything else (timeouts, application_name, options, host)
      // would override how the service drives its pool, so it is refused.
      allowedQuery: ['sslmode', 'sslrootcert', 'sslcert', 'sslkey'],
    },
  }),
  timeoutMs: integer('HEALTH_DB_TIMEOUT_MS', {
    default: 2000,
    min: 1,
    max: 600_000,
    description: 'The database check’s timeout (`SELECT 1`, connect included), in ms.',
  }),
  poolSize: integer('HEALTH_DB_POOL_SIZE', {
    default: 4,
    min: 1,
    max: 100,
    description: 'Size of the PostgreSQL pool the database check draws from.',
  }),
});

/** The parsed {@link DATABASE_SETTINGS}. */
export type DatabaseSettings = SettingsOf<typeof DATABASE_SETTINGS>;
