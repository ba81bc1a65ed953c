import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { TimeoutError } from '../common/timeout';
import type { CheckDefinition, HealthIndicator, IndicatorResult } from '../health';
import { DATABASE_SETTINGS, type DatabaseSettings } from './database.settings';
import { DatabaseProbe, isDriverTimeout } from './database.probe';
import { ReadOnlyStandbyError } from './primary-locator';

/**
 * PostgreSQL: `SELECT 1` on the TypeORM data source, on the first writable host of `DATABASE_URL`, which the report
 * names. Critical: without the database the service is unhealthy, and so it is when the server is a read-only standby.
 */
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
      description:
        'PostgreSQL: `SELECT 1` and `pg_is_in_recovery()` on a connection of the TypeORM data source, on the first ' +
        'writable host of DATABASE_URL; a read-only standby is an error',
      fields: {
        host: {
          type: 'string',
          description:
            'The server the check used, `host:port` (of several hosts in DATABASE_URL, the writable one); never ' +
            'with credentials',
          example: '10.0.0.5:5432',
        },
      },
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
    const session = this.health.check(this.definition.key);
    try {
      const { address } = await this.probe.ping(signal);
      return session.up({ host: address });
    } catch (error) {
      // It answered, so "unreachable" would mislead: the detail is the error's own words, naming the host.
      if (error instanceof ReadOnlyStandbyError) return session.down({ detail: error.message });
      const { operation, timeoutMs } = this.definition;
      throw isDriverTimeout(error) ? new TimeoutError(operation, timeoutMs) : error;
    }
  }
}
