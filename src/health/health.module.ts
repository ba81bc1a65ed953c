import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { HealthCheck } from './health-check';
import { provideHealthIndicators } from './health-indicators.provider';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { ReadinessService } from './readiness.service';

/** What the application hands the health core: the checks of the report, in report order. */
export interface HealthModuleOptions {
  readonly checks: readonly HealthCheck[];
}

/**
 * Health, liveness and readiness over the checks the application composes; the core knows none of them. Global, so
 * metrics and the status views need not import it.
 */
@Module({})
export class HealthModule {
  static forRoot({ checks }: HealthModuleOptions): DynamicModule {
    const modules = [...new Set(checks.flatMap((check) => (check.module ? [check.module] : [])))];
    return {
      module: HealthModule,
      global: true,
      // Terminus's `HealthIndicatorService`, for indicators that no feature module provides.
      imports: [TerminusModule, ...modules],
      controllers: [HealthController],
      providers: [HealthService, ReadinessService, ...provideHealthIndicators(checks)],
      exports: [HealthService, ReadinessService],
    };
  }
}
