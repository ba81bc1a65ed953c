import { Gauge, type Registry } from 'prom-client';
import type { MaintenanceWindow } from './maintenance-window';

/**
 * `secuscan_health_maintenance_active`: 1 while a maintenance window is active, read at each scrape from the window
 * itself (its `until` decides, no timer), so the alerting rules can hold their alerts during a window as the
 * notifications are held.
 */
export function registerMaintenanceGauge(registry: Registry, active: () => MaintenanceWindow | undefined): void {
  new Gauge({
    name: 'secuscan_health_maintenance_active',
    help: 'Whether a maintenance window is active (1) or not (0); alerts and notifications are held while it is',
    registers: [registry],
    collect() {
      this.set(active() ? 1 : 0);
    },
  });
}
