import { Injectable } from '@nestjs/common';
import type { ReportAnnotation } from '../health';
import type { Observable } from 'rxjs';
import { MaintenanceService, type MaintenanceChange } from './maintenance.service';

/** What a report carries while a window is active. */
export interface MaintenanceReport {
  readonly until: string;
  readonly reason: string | null;
}

/**
 * Puts the active maintenance window in the report (`"maintenance": {"until", "reason"}`) and a note in
 * health+json, for callers who may see details; the status-only report, the probes and the status code are left
 * as they are.
 */
@Injectable()
export class MaintenanceAnnotation implements ReportAnnotation<MaintenanceReport> {
  readonly key = 'maintenance';
  readonly schema = {
    type: 'object' as const,
    description:
      'Present while a maintenance window is active (POST /api/v1/health/maintenance), for callers who may see ' +
      'details; the status and the HTTP code are not changed by it, and notifications are held',
    required: ['until', 'reason'],
    properties: {
      until: { type: 'string' as const, format: 'date-time', example: '2026-12-05T18:30:00.000Z' },
      reason: { type: 'string' as const, nullable: true, example: 'upgrading nmap' },
    },
  };

  readonly changes$: Observable<MaintenanceChange>;

  constructor(private readonly maintenance: MaintenanceService) {
    this.changes$ = maintenance.changes$;
  }

  valueAt(now: number): MaintenanceReport | undefined {
    const window = this.maintenance.active(now);
    return window && { until: new Date(window.until).toISOString(), reason: window.reason };
  }

  noteOf({ until, reason }: MaintenanceReport): string {
    return `maintenance until ${until}${reason === null ? '' : `: ${reason}`}; notifications are held`;
  }
}
