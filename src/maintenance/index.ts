import type { ReportAnnotationRegistration } from '../health';
import { MaintenanceAnnotation } from './maintenance.annotation';
import { MaintenanceModule } from './maintenance.module';

/**
 * Maintenance windows' public face: the module, the service (what is active, whether notifications are held, the
 * starts and ends) and the report annotation the application registers with the health core.
 */
export { MaintenanceModule } from './maintenance.module';
export { MaintenanceService } from './maintenance.service';
export type { MaintenanceChange, MaintenanceOutcome } from './maintenance.service';
export type { MaintenanceWindow } from './maintenance-window';

/** The report's `maintenance` key, as the application hands it to `HealthModule.forRoot`. */
export const MAINTENANCE_ANNOTATION: ReportAnnotationRegistration = {
  annotation: MaintenanceAnnotation,
  module: MaintenanceModule,
};
