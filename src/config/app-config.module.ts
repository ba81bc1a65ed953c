import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { AppConfig } from './app-config';

/**
 * Serves the already-parsed configuration to every module: each feature's values under its settings group's token
 * (`@Inject(GROUP.token)`), and the whole {@link AppConfig}. The config is parsed before the Nest app is created, so
 * a bad value stops the start with one line instead of a stack trace, and is handed in here.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    const groups: Provider[] = [...config.entries()].map(([group, values]) => ({
      provide: group.token,
      useValue: values,
    }));
    const tokens = groups.map((provider) => (provider as { provide: symbol }).provide);
    return {
      module: AppConfigModule,
      providers: [{ provide: AppConfig, useValue: config }, ...groups],
      exports: [AppConfig, ...tokens],
    };
  }
}
