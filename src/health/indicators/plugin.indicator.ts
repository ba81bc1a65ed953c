import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { timed } from '../../common/latency';
import { describeError, redact } from '../../common/redact';
import { PluginRegistry } from '../../plugins/plugin-registry';
import { HealthIndicatorPort } from '../health-check.registration';

/**
 * The scanner's plugin registry: `total` valid manifests and `runnable` plugins (binaries on `PATH`, not disabled).
 * `down` only when the registry failed to load; a registry where nothing is runnable is still `up` and says so in
 * the counts. Registered as non-critical.
 */
@Injectable()
export class PluginIndicator implements HealthIndicatorPort {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Reads the registry's state; the binary look-ups are local file checks, so no timeout is needed. */
  async check(key: string): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    const result = await timed(() => this.registry.status());
    const latency_ms = result.latencyMs;
    if (!result.ok) return session.down({ total: 0, runnable: 0, latency_ms, detail: describeError(result.error) });
    const status = result.value;
    if (!status.loaded) return session.down({ total: 0, runnable: 0, latency_ms, detail: redact(status.error) });
    return session.up({ total: status.total, runnable: status.runnable, latency_ms });
  }
}
