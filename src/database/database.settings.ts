import { defineSettings, integer, SettingsOf } from '../config/settings';
import { postgresEndpoints, postgresUrl } from './postgres-url';

/** PostgreSQL: where it is, how long a probe may take, how many connections the probe may hold. */
export const DATABASE_SETTINGS = defineSettings(
  'database',
  {
    url: postgresUrl('DATABASE_URL', {
      default: 'postgres://postgres@127.0.0.1:5432/postgres',
      description:
        'PostgreSQL to check. Several hosts as libpq writes them (`postgres://u:p@h1:5432,h2:5432/db`): the check ' +
        'uses the first writable one and follows a failover. Query parameters: only `sslmode`, `sslrootcert`, ' +
        '`sslcert`, `sslkey`; percent-escape reserved characters in the user name and password.',
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
  },
  // The servers DATABASE_URL names, in its order (one for a plain URL); `url` was validated host by host.
  (values) => ({ ...values, endpoints: postgresEndpoints('DATABASE_URL', values.url) }),
);

/** The parsed {@link DATABASE_SETTINGS}. */
export type DatabaseSettings = SettingsOf<typeof DATABASE_SETTINGS>;
