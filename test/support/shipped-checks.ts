import { HealthIndicatorService } from '@nestjs/terminus';
import { CacheIndicator } from '../../src/cache/cache.health';
import type { CacheProbe } from '../../src/cache/cache.probe';
import { parseConfig } from '../../src/config/app-config';
import { DatabaseIndicator } from '../../src/database/database.health';
import type { DatabaseProbe } from '../../src/database/database.probe';
import type { CheckDefinition } from '../../src/health/health-indicator';
import { PluginIndicator } from '../../src/plugins/plugin.health';
import type { PluginRegistry } from '../../src/plugins/plugin-registry';

/** The definitions of the three shipped checks, as the app registers them, for specs of the pure renderers. */
export function shippedDefinitions(env: Record<string, string> = {}): CheckDefinition[] {
  const config = parseConfig(env);
  const health = new HealthIndicatorService();
  return [
    new DatabaseIndicator({} as DatabaseProbe, health, config).definition,
    new CacheIndicator({} as CacheProbe, health, config).definition,
    new PluginIndicator({} as PluginRegistry, health).definition,
  ];
}
