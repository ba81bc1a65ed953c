import { DynamicModule, Module } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { BadgesModule } from './badges/badges.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { CheckRegistration, HealthCheck, HealthModule } from './health';
import { MAINTENANCE_ANNOTATION } from './maintenance';
import { MetricsModule } from './metrics/metrics.module';
import { NotifyModule } from './notify';
import { StatusModule } from './status/status.module';

/**
 * The application: the health core over the checks the configuration lists (`APP_CHECKS` in `app.composition.ts`
 * unless a caller gave others) and what the report carries beside them (the maintenance window, whose module brings
 * its routes), and the views of its evaluations (metrics, history and status, notifications).
 */
@Module({})
export class AppModule {
  /** `checks` are `config.checks`, loaded (see {@link loadChecks}). */
  static forRoot(config: AppConfig, checks: readonly HealthCheck[]): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        AccessModule,
        HealthModule.forRoot({ checks, annotations: [MAINTENANCE_ANNOTATION] }),
        MetricsModule,
        StatusModule,
        NotifyModule,
        BadgesModule,
      ],
    };
  }
}

/** The Nest parts of the configured checks, in report order. */
export function loadChecks(config: AppConfig<CheckRegistration>): Promise<HealthCheck[]> {
  return Promise.all(config.checks.map(async (check) => await check.load()));
}
