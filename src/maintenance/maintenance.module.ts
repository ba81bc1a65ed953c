import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HealthMetrics } from '../metrics/health-metrics';
import { MetricsModule } from '../metrics/metrics.module';
import { NOTIFICATION_GATE } from '../notify';
import { MaintenanceAnnotation } from './maintenance.annotation';
import { MaintenanceController } from './maintenance.controller';
import { registerMaintenanceGauge } from './maintenance-metrics';
import { MaintenanceService } from './maintenance.service';

/**
 * Maintenance windows: the routes, the window (kept in `HEALTH_DATA_DIR`) and the report's annotation. Global, so the
 * service is the notifications' gate (`NOTIFICATION_GATE`: nothing is sent while a window is active) without the
 * notify module importing this one.
 */
@Global()
@Module({
  imports: [MetricsModule],
  controllers: [MaintenanceController],
  providers: [
    MaintenanceService,
    MaintenanceAnnotation,
    { provide: NOTIFICATION_GATE, useExisting: MaintenanceService },
  ],
  exports: [MaintenanceService, MaintenanceAnnotation, NOTIFICATION_GATE],
})
export class MaintenanceModule implements OnModuleInit {
  constructor(
    @Inject(HealthMetrics) private readonly metrics: HealthMetrics,
    @Inject(MaintenanceService) private readonly maintenance: MaintenanceService,
  ) {}

  /** Puts the window's gauge beside the health metrics. */
  onModuleInit(): void {
    registerMaintenanceGauge(this.metrics.registry, () => this.maintenance.active());
  }
}
