import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

/**
 * Serves the already-parsed {@link AppConfig} to every module. The config is parsed before the Nest app is created,
 * so a bad value stops the start with one line instead of a stack trace, and is handed in here.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppConfigModule, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}
