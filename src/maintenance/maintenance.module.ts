import { Global, Module } from '@nestjs/common';
import { MaintenanceAnnotation } from './maintenance.annotation';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';

/**
 * Maintenance windows: the routes, the window (kept in `HEALTH_DATA_DIR`) and the report's annotation. Global, so a
 * feature that must respect windows (notifications hold while one is active) can inject {@link MaintenanceService}
 * without the two knowing each other's modules.
 */
@Global()
@Module({
  controllers: [MaintenanceController],
  providers: [MaintenanceService, MaintenanceAnnotation],
  exports: [MaintenanceService, MaintenanceAnnotation],
})
export class MaintenanceModule {}
