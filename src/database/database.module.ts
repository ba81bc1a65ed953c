import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DATABASE_SETTINGS, type DatabaseSettings } from './database.settings';
import { DatabaseIndicator } from './database.health';
import { DatabaseProbe } from './database.probe';

/**
 * The TypeORM data source (PostgreSQL through `pg`). `manualInitialization` keeps the first connection off the boot
 * path: `@nestjs/typeorm` would otherwise retry and then fail the whole bootstrap while the database is down.
 * {@link DatabaseProbe} connects in the background and again on demand. Exports the database check's indicator.
 */
@Module({
  imports: [
    TerminusModule,
    TypeOrmModule.forRootAsync({
      inject: [DATABASE_SETTINGS.token],
      useFactory: (settings: DatabaseSettings) => ({
        type: 'postgres' as const,
        url: settings.url,
        manualInitialization: true,
        retryAttempts: 0,
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
      }),
    }),
  ],
  providers: [DatabaseProbe, DatabaseIndicator],
  exports: [DatabaseIndicator],
})
export class DatabaseModule {}
