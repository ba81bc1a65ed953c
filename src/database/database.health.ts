import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { TimeoutError } from '../common/timeout';
import type { CheckDefinition, HealthIndicator, IndicatorResult } from '../health';
import { DATABASE_SETTINGS, type DatabaseSettings } from './database.settings';
import { DatabaseProbe, isDriverTimeout } from './database.probe';

/** PostgreSQL: `SELECT 1` on the TypeORM data source. Critical: without the database the service is unhealthy. */
@Injectable()
export class DatabaseIndicator implements HealthIndicator {
  readonly definition: CheckDefinition;

  constructor(
    private readonly probe: DatabaseProbe,
    private readonly health: HealthIndicatorService,
    @Inject(DATABASE_SETTINGS.token) settings: DatabaseSettings,
  ) {
    this.definition = {
      key: 'database',
      critical: true,
      componentType: 'datastore',
      timeoutMs: settings.timeoutMs,
      operation: 'database SELECT 1',
      failure: 'database unreachable',
      description: 'PostgreSQL: `SELECT 1` on a connection of the TypeORM data source',
      example: {
        latencyMs: 2.4,
        failure: { detail: 'database unreachable: connect ECONNREFUSED 10.0.0.5:5432', latencyMs: 3.1 },
      },
    };
  }

  /** Loads TypeORM and creates the data source, the first time; the first `SELECT 1` then times only itself. */
  async started(): Promise<void> {
    await this.probe.load();
  }

  async check(signal: AbortSignal): Promise<IndicatorResult> {
    try {
      await this.probe.ping(signal);
    } catch (error) {
      const { operation, timeoutMs } = this.definition;
      throw isDriverTimeout(error) ? new TimeoutError(operation, timeoutMs) : error;
    }
    return this.health.check(this.definition.key).up();
  }
}
