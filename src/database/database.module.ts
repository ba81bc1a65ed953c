import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DATA_SOURCE_LOADER, dataSourceOptions, lazyDataSource } from './data-source';
import { DatabaseProbe } from './database.probe';

/**
 * The TypeORM data source (PostgreSQL through `pg`), created and connected by {@link DatabaseProbe} at the first
 * check and again on demand, never on the boot path: the app must listen while the database is down (where
 * `@nestjs/typeorm`'s module would retry and then fail the whole bootstrap), and TypeORM loads only when needed.
 */
@Module({
  providers: [
    {
      provide: DATA_SOURCE_LOADER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => lazyDataSource(dataSourceOptions(config)),
    },
    DatabaseProbe,
  ],
  exports: [DatabaseProbe],
})
export class DatabaseModule {}
