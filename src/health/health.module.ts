import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { HealthCheck } from './health-check';
import { provideHealthIndicators } from './health-indicators.provider';
import { provideReportAnnotations, type ReportAnnotationRegistration } from './report-annotation';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { ReadinessService } from './readiness.service';

/** What the application hands the health core: the checks of the report, in report order, and its annotations. */
export interface HealthModuleOptions {
  readonly checks: readonly HealthCheck[];
  /** What the report carries beside the checks (a maintenance window), for callers who may see details. */
  readonly annotations?: readonly ReportAnnotationRegistration[];
}

/**
 * Health, liveness and readiness over the checks the application composes; the core knows none of them. Global, so
 * metrics and the status views need not import it.
 */
@Module({})
export class HealthModule {
  static forRoot({ checks, annotations = [] }: HealthModuleOptions): DynamicModule {
    const parts = [...checks, ...annotations];
    const modules = [...new Set(parts.flatMap((part) => (part.module ? [part.module] : [])))];
    return {
      module: HealthModule,
      global: true,
      // Terminus's `HealthIndicatorService`, for indicators that no feature module provides.
      imports: [TerminusModule, ...modules],
      controllers: [HealthController],
      providers: [
        HealthService,
        ReadinessService,
        ...provideHealthIndicators(checks),
        ...provideReportAnnotations(annotations),
      ],
      exports: [HealthService, ReadinessService],
    };
  }
}
