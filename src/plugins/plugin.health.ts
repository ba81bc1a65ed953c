import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { CheckDefinition, HealthIndicator, IndicatorResult } from '../health/health-indicator';
import { PluginRegistry } from './plugin-registry';

/** The binary look-ups are local file checks; a hung file system under PATH must still not hold a report. */
const PLUGIN_CHECK_TIMEOUT_MS = 1000;

/**
 * The scanner's plugin registry: `total` valid manifests and `runnable` plugins (binaries on `PATH`, not disabled).
 * `down` when the registry failed to load. Not critical: the service degrades.
 */
@Injectable()
export class PluginIndicator implements HealthIndicator {
  readonly definition: CheckDefinition = {
    key: 'plugins',
    critical: false,
    componentType: 'component',
    timeoutMs: PLUGIN_CHECK_TIMEOUT_MS,
    operation: 'plugin registry check',
    failure: 'plugin registry failed',
    description: 'The scanner plugin registry: manifests in PLUGINS_DIR and whether their binaries are on PATH',
    fields: {
      total: {
        description: 'Valid plugin manifests in PLUGINS_DIR (invalid ones are skipped)',
        example: 12,
        unit: '{plugin}',
      },
      runnable: {
        description: 'Plugins whose required binaries are all on PATH and that are not listed in DISABLED_PLUGINS',
        example: 10,
        unit: '{plugin}',
      },
    },
    example: {
      latencyMs: 0.9,
      failure: { detail: 'cannot read plugins directory /srv/plugins: does not exist', latencyMs: 0.4 },
    },
  };

  constructor(
    private readonly registry: PluginRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(): Promise<IndicatorResult> {
    const session = this.health.check(this.definition.key);
    const status = await this.registry.status();
    if (!status.loaded) return session.down({ detail: status.error });
    return session.up({ total: status.total, runnable: status.runnable });
  }
}
