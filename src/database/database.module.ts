import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DATA_SOURCE_LOADER, dataSourceOptions, lazyDataSource } from './data-source';
import { DatabaseIndicator } from './database.health';
import { DatabaseProbe } from './database.probe';
import { DATABASE_SETTINGS, type DatabaseSettings } from './database.settings';
import { PostgresWire } from './postgres-wire';
import { guardedClientClass } from './postgres-session';
import { PrimaryLocator, recoveryOnOwnConnection } from './primary-locator';

/**
 * The TypeORM data source (PostgreSQL through `pg`), created and connected by {@link DatabaseProbe} at the first
 * check and again on demand, never on the boot path: the app must listen while the database is down (where
 * `@nestjs/typeorm`'s module would retry and then fail the whole bootstrap), and TypeORM loads only when needed.
 * Exports the database check's indicator, and the {@link PrimaryLocator} for checks that need the primary too.
 */
@Module({
  imports: [TerminusModule],
  providers: [
    PostgresWire,
    {
      provide: DATA_SOURCE_LOADER,
      inject: [DATABASE_SETTINGS.token, PostgresWire],
      useFactory: (settings: DatabaseSettings, wire: PostgresWire) => lazyDataSource(dataSourceOptions(settings), wire),
    },
    {
      provide: PrimaryLocator,
      inject: [DATABASE_SETTINGS.token, PostgresWire],
      // The scan's connections are the check's own: guarded by the same wire, their violations are its to report.
      useFactory: ({ endpoints, timeoutMs }: DatabaseSettings, wire: PostgresWire) =>
        new PrimaryLocator(endpoints, timeoutMs, recoveryOnOwnConnection(timeoutMs, guardedClientClass(wire))),
    },
    DatabaseProbe,
    DatabaseIndicator,
  ],
  exports: [DatabaseIndicator, PrimaryLocator],
})
export class DatabaseModule {}
