import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { CheckDefinition, HealthIndicator, IndicatorResult } from '../health';
import { countPlugins, failureOf, type PluginCounts } from './plugin-evaluation';
import { PluginRegistry } from './plugin-registry';

/** The binary look-ups are local file checks; a hung file system under PATH must still not hold a report. */
const PLUGIN_CHECK_TIMEOUT_MS = 1000;
/** The counts when PLUGINS_DIR cannot be read. */
const NO_PLUGINS: PluginCounts = { total: 0, runnable: 0, blocked: 0, disabled: 0, invalid: 0 };

/**
 * The scanner's plugin registry: how many plugins are runnable, blocked (something missing), disabled, and how many
 * manifests are invalid. `down` — the service degrades, it is not critical — when PLUGINS_DIR cannot be read, when
 * it holds manifests but none is valid, or when no enabled plugin can run; the detail then names what is missing.
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
    description:
      'The scanner plugin registry: manifests in PLUGINS_DIR and whether their binaries (on PATH), Python ' +
      'packages and Debian packages are installed',
    fields: {
      total: {
        description: 'Valid plugin manifests in PLUGINS_DIR (invalid ones are counted apart)',
        example: 13,
        unit: '{plugin}',
        always: true,
      },
      runnable: {
        description: 'Enabled plugins whose every requirement is installed',
        example: 10,
        unit: '{plugin}',
        always: true,
      },
      blocked: {
        description: 'Enabled plugins missing a binary, Python package or system package',
        example: 2,
        unit: '{plugin}',
        always: true,
      },
      disabled: { description: 'Plugins listed in DISABLED_PLUGINS', example: 1, unit: '{plugin}', always: true },
      invalid: {
        description: 'Manifests skipped as invalid (unreadable, malformed, duplicate id)',
        example: 0,
        unit: '{plugin}',
        always: true,
      },
    },
    example: {
      latencyMs: 0.9,
      failure: { detail: '0 of 13 plugins runnable; missing nmap (3 plugins), nuclei (2), sqlmap (1)', latencyMs: 0.8 },
    },
  };

  constructor(
    private readonly registry: PluginRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  /** The registry's first scan and package lists, taken in the background from start. */
  started(): Promise<void> {
    return this.registry.started();
  }

  async check(): Promise<IndicatorResult> {
    const session = this.health.check(this.definition.key);
    const evaluation = await this.registry.evaluate();
    const failure = failureOf(evaluation);
    // The folder could not be read: nothing counted, and the report says so with zeroes rather than missing fields.
    if (!evaluation.loaded) return session.down({ ...NO_PLUGINS, detail: failure ?? evaluation.error });
    const counts = countPlugins(evaluation);
    return failure === undefined ? session.up({ ...counts }) : session.down({ ...counts, detail: failure });
  }
}
