import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../../config/app-config';
import { DatabaseProbe } from '../../database/database.probe';
import { HealthIndicatorPort } from '../health-check.registration';
import { probeResult } from './probe-result';

/** PostgreSQL: `SELECT 1` on the TypeORM data source within `HEALTH_DB_TIMEOUT_MS`. Registered as critical. */
@Injectable()
export class DatabaseIndicator implements HealthIndicatorPort {
  constructor(
    private readonly probe: DatabaseProbe,
    private readonly health: HealthIndicatorService,
    private readonly config: AppConfig,
  ) {}

  /** Probes the database; `down` with a detail that tells a timeout from a refused or failed connection. */
  check(key: string): Promise<HealthIndicatorResult> {
    return probeResult(this.health.check(key), 'database unreachable', () => this.probe.ping(this.config.dbTimeoutMs));
  }
}
