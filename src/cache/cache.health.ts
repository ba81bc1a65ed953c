import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { CheckDefinition, HealthIndicator, IndicatorResult } from '../health';
import { CACHE_SETTINGS, type CacheSettings } from './cache.settings';
import { CacheProbe } from './cache.probe';

/** Redis: `PING`. Not critical: without Redis the service is degraded but still serves. */
@Injectable()
export class CacheIndicator implements HealthIndicator {
  readonly definition: CheckDefinition;

  constructor(
    private readonly probe: CacheProbe,
    private readonly health: HealthIndicatorService,
    @Inject(CACHE_SETTINGS.token) settings: CacheSettings,
  ) {
    this.definition = {
      key: 'cache',
      critical: false,
      componentType: 'datastore',
      timeoutMs: settings.timeoutMs,
      operation: 'redis PING',
      failure: 'redis unreachable',
      description: 'Redis: `PING` on the service’s connection',
      example: { latencyMs: 0.8, failure: { detail: 'redis PING timed out after 1000 ms', latencyMs: 1000.6 } },
    };
  }

  async check(signal: AbortSignal): Promise<IndicatorResult> {
    await this.probe.ping(signal);
    return this.health.check(this.definition.key).up();
  }
}
