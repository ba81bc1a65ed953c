import { DynamicModule, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheIndicator } from '../cache/cache.health';
import { CacheModule } from '../cache/cache.module';
import { DatabaseIndicator } from '../database/database.health';
import { DatabaseModule } from '../database/database.module';
import { PluginIndicator } from '../plugins/plugin.health';
import { PluginsModule } from '../plugins/plugins.module';
import type { HealthIndicator } from './health-indicator';
import { provideHealthIndicators } from './health-indicators.provider';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { ReadinessService } from './readiness.service';

/** The checks of the report, in report order. Each indicator declares what it is; a new check is one more line. */
export const HEALTH_CHECKS: readonly Type<HealthIndicator>[] = [DatabaseIndicator, CacheIndicator, PluginIndicator];

/**
 * Health, liveness and readiness over the registered checks. Global, so metrics and other consumers of the
 * evaluations need not import it.
 */
@Module({})
export class HealthModule {
  static forRoot(checks: readonly Type<HealthIndicator>[] = HEALTH_CHECKS): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false }), DatabaseModule, CacheModule, PluginsModule],
      controllers: [HealthController],
      providers: [HealthService, ReadinessService, ...provideHealthIndicators(checks)],
      exports: [HealthService, ReadinessService],
    };
  }
}
