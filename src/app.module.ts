import { DynamicModule, Module, Type } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import type { HealthIndicator } from './health/health-indicator';
import { HEALTH_CHECKS, HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { StatusModule } from './status/status.module';

/** The application, built around an already-validated configuration and the list of checks to run. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, checks: readonly Type<HealthIndicator>[] = HEALTH_CHECKS): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        AccessModule,
        HealthModule.forRoot(checks),
        MetricsModule,
        StatusModule,
      ],
    };
  }
}
