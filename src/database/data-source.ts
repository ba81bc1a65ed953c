import type { DataSource, DataSourceOptions } from 'typeorm';
import type { DatabaseSettings } from './database.settings';
import type { PostgresWire } from './postgres-wire';

/** Injection token of the {@link DataSourceLoader}. */
export const DATA_SOURCE_LOADER = Symbol('DATA_SOURCE_LOADER');

/** Creates a TypeORM data source (not connected) for the server of `url`, a URL that names one host. */
export type DataSourceLoader = (url: string) => Promise<DataSource>;

/**
 * The data source's settings but its URL: PostgreSQL through `pg`, with the pool and its timeouts bounded by the
 * check's. The URL is the server in use, one host of `DATABASE_URL` (pg takes one host).
 */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    synchronize: false,
    logging: false,
    entities: [],
    applicationName: 'secuscan-health',
    extra: {
      max: settings.poolSize,
      // Bound a connect (and a wait for a free slot) that hangs, and TypeORM's own start-up queries on a server
      // that accepts but never answers, by the check's own timeout: the connect is shared between checks and
      // may have started before the one waiting on it, so the driver may give up first.
      connectionTimeoutMillis: settings.timeoutMs,
      query_timeout: settings.timeoutMs,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    },
  };
}

/**
 * A loader of data sources that loads TypeORM itself on its first call. TypeORM is the heaviest package the
 * service uses (about a fifth of its start-up) and no liveness probe needs it: it is loaded by the first connect,
 * which the first evaluation makes once the app answers, not before the app listens. Each call creates a new data
 * source: one at start, and one more on each failover. Its pool makes its clients of `wire`'s guarded class
 * (TypeORM hands `extra` to pg's pool as it is).
 */
export function lazyDataSource(options: DataSourceOptions, wire: PostgresWire): DataSourceLoader {
  return (url) =>
    Promise.all([import('typeorm'), import('pg')]).then(
      ([{ DataSource }, pg]) =>
        new DataSource({
          ...options,
          url,
          extra: { ...(options.extra as object | undefined), Client: wire.clientClass(pg.Client) },
        } as DataSourceOptions),
    );
}
