import { ConfigError, defineSettings, integer, Setting, SettingsOf } from '../config/settings';
import { postgresEndpoints, type PostgresEndpoint } from '../database/postgres-url';

const NAME = 'DATABASE_REPLICA_URLS';

/**
 * The URLs of a comma-separated list whose URLs may themselves name several hosts: an entry without `://` continues
 * the host list of the URL before it (`postgres://u@r1:5432,r2:5432/db` is one URL of two hosts), as long as that
 * URL has not reached its path yet; otherwise the comma ended it, and the entry must be a URL of its own.
 */
function splitUrls(raw: string): string[] {
  const urls: string[] = [];
  raw.split(',').forEach((entry, index) => {
    const text = entry.trim();
    const previous = urls.at(-1);
    if (text.includes('://')) urls.push(text);
    else if (previous !== undefined && !/^[^:]*:\/\/[^/?]*[/?]/.test(previous))
      urls[urls.length - 1] = `${previous},${text}`;
    else if (text === '')
      throw new ConfigError(
        `${NAME} has an empty entry (entry ${index + 1}): list postgres:// URLs separated by commas`,
      );
    else throw new ConfigError(`${NAME} entry ${index + 1} is not a postgres:// URL`);
  });
  return urls;
}

/**
 * The replicas to check, one per host of each URL, in the order given; none when unset. A bad URL or host is refused
 * with one line naming the variable and where in it (never the value); a host listed twice is refused too.
 */
function replicaUrls(): Setting<readonly PostgresEndpoint[]> {
  return {
    name: NAME,
    defaultText: 'unset',
    description:
      'PostgreSQL replicas to watch, comma-separated URLs (each may name several hosts, libpq form); when set, a ' +
      '`replicas` check (not critical) reports each one’s streaming state and lag. The user needs `pg_monitor` ' +
      '(or `pg_read_all_stats`) to read the WAL receiver’s state.',
    parse(raw) {
      if (raw === undefined) return [];
      const urls = splitUrls(raw);
      const endpoints = urls.flatMap((url, index) =>
        postgresEndpoints(urls.length > 1 ? `${NAME} (URL ${index + 1} of ${urls.length})` : NAME, url),
      );
      const seen = new Set<string>();
      for (const { address } of endpoints) {
        if (seen.has(address)) throw new ConfigError(`${NAME} names ${address} twice`);
        seen.add(address);
      }
      return endpoints;
    },
  };
}

/** The replicas check: which replicas, and how much lag is too much. */
export const REPLICAS_SETTINGS = defineSettings('replicas', {
  replicas: replicaUrls(),
  maxLagMs: integer('HEALTH_REPLICA_MAX_LAG_MS', {
    default: 10_000,
    min: 0,
    max: 86_400_000,
    description:
      'A replica whose replay lag (`lag_seconds`) is over this, in ms, is an error of the replicas check. Its timeout ' +
      'is the database check’s (`HEALTH_DB_TIMEOUT_MS`).',
  }),
});

/** The parsed {@link REPLICAS_SETTINGS}. */
export type ReplicasSettings = SettingsOf<typeof REPLICAS_SETTINGS>;
