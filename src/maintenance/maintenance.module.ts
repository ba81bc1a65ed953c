import { Global, Module } from '@nestjs/common';
import { NOTIFICATION_GATE } from '../notify';
import { MaintenanceAnnotation } from './maintenance.annotation';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';

/**
 * Maintenance windows: the routes, the window (kept in `HEALTH_DATA_DIR`) and the report's annotation. Global, so the
 * service is the notifications' gate (`NOTIFICATION_GATE`: nothing is sent while a window is active) without the
 * notify module importing this one.
 */
@Global()
@Module({
  controllers: [MaintenanceController],
  providers: [
    MaintenanceService,
    MaintenanceAnnotation,
    { provide: NOTIFICATION_GATE, useExisting: MaintenanceService },
  ],
  exports: [MaintenanceService, MaintenanceAnnotation, NOTIFICATION_GATE],
})
export class MaintenanceModule {}
