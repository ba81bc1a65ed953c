import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { CacheProbe } from '../../cache/cache.probe';
import { AppConfig } from '../../config/app-config';
import { HealthIndicatorPort } from '../health-check.registration';
import { probeResult } from './probe-result';

/** Redis: `PING` within `HEALTH_CACHE_TIMEOUT_MS`. Registered as non-critical: without Redis the service degrades. */
@Injectable()
export class CacheIndicator implements HealthIndicatorPort {
  constructor(
    private readonly probe: CacheProbe,
    private readonly health: HealthIndicatorService,
    private readonly config: AppConfig,
  ) {}

  /** Probes Redis; `down` with a detail that tells a timeout from a lost or refused connection. */
  check(key: string): Promise<HealthIndicatorResult> {
    return probeResult(this.health.check(key), 'redis unreachable', () => this.probe.ping(this.config.cacheTimeoutMs));
  }
}
