import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { DatabaseProbe } from './database.probe';

/**
 * The TypeORM data source (PostgreSQL through `pg`). `manualInitialization` keeps the first connection off the boot
 * path: `@nestjs/typeorm` would otherwise retry and then fail the whole bootstrap while the database is down
 *. {@link DatabaseProbe} connects in the background and again on demand.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        type: 'postgres' as const,
        url: config.databaseUrl,
        manualInitialization: true,
        retryAttempts: 0,
        synchronize: false,
        logging: false,
        entities: [],
        applicationName: 'secuscan-health',
        extra: {
          max: config.dbPoolSize,
          // Bound a connect (and a wait for a free slot) that hangs, and TypeORM's own start-up queries on a server
          // that accepts but never answers, by the check's own timeout: the connect is shared between checks and
          // may have started before the one waiting on it, so the driver may give up first.
          connectionTimeoutMillis: config.dbTimeoutMs,
          query_timeout: config.dbTimeoutMs,
          keepAlive: true,
          idleTimeoutMillis: 30_000,
        },
      }),
    }),
  ],
  providers: [DatabaseProbe],
  exports: [DatabaseProbe],
})
export class DatabaseModule {}
