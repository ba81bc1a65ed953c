import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheModule } from '../cache/cache.module';
import { DatabaseModule } from '../database/database.module';
import { PluginsModule } from '../plugins/plugins.module';
import { HealthCheckRegistration, provideHealthChecks } from './health-check.registration';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { ReadinessService } from './readiness.service';
import { CacheIndicator } from './indicators/cache.indicator';
import { DatabaseIndicator } from './indicators/database.indicator';
import { PluginIndicator } from './indicators/plugin.indicator';

/**
 * The checks of the report, in report order. `critical` decides the status rules: a critical check that fails
 * makes the service unhealthy (503), any other only degrades it. A new dependency is one indicator and one line.
 */
export const HEALTH_CHECK_REGISTRATIONS: readonly HealthCheckRegistration[] = [
  { key: 'database', indicator: DatabaseIndicator, critical: true },
  { key: 'cache', indicator: CacheIndicator, critical: false },
  { key: 'plugins', indicator: PluginIndicator, critical: false },
];

/** Health, liveness and readiness over PostgreSQL, Redis and the plugin registry. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), DatabaseModule, CacheModule, PluginsModule],
  controllers: [HealthController],
  providers: [HealthService, ReadinessService, ...provideHealthChecks(HEALTH_CHECK_REGISTRATIONS)],
  exports: [HealthService, ReadinessService],
})
export class HealthModule {}
