import { HealthIndicatorService } from '@nestjs/terminus';
import { CACHE_SETTINGS } from '../../src/cache/cache.settings';
import { CacheIndicator } from '../../src/cache/cache.health';
import type { CacheProbe } from '../../src/cache/cache.probe';
import type { ClusterProbe } from '../../src/cache/cluster.probe';
import type { SentinelProbe } from '../../src/cache/sentinel.probe';
import { settingsFrom } from '../../src/config/settings';
import { DATABASE_SETTINGS } from '../../src/database/database.settings';
import { DatabaseIndicator } from '../../src/database/database.health';
import type { DatabaseProbe } from '../../src/database/database.probe';
import type { CheckDefinition } from '../../src/health';
import { PluginIndicator } from '../../src/plugins/plugin.health';
import type { PluginRegistry } from '../../src/plugins/plugin-registry';
import type { ReplicaProbe } from '../../src/replicas/replica.probe';
import { ReplicasIndicator } from '../../src/replicas/replicas.health';
import { REPLICAS_SETTINGS } from '../../src/replicas/replicas.settings';

/** The definitions of the three shipped checks, as the app registers them, for specs of the pure renderers. */
export function shippedDefinitions(env: Record<string, string> = {}): CheckDefinition[] {
  const health = new HealthIndicatorService();
  return [
    new DatabaseIndicator({} as DatabaseProbe, health, settingsFrom(DATABASE_SETTINGS, env)).definition,
    new CacheIndicator(
      {} as CacheProbe,
      health,
      settingsFrom(CACHE_SETTINGS, env),
      {} as SentinelProbe,
      {} as ClusterProbe,
    ).definition,
    new PluginIndicator({} as PluginRegistry, health).definition,
  ];
}

/** The definition of the replicas check, which the app registers only when DATABASE_REPLICA_URLS is set. */
export function replicasDefinition(env: Record<string, string> = {}): CheckDefinition {
  return new ReplicasIndicator(
    {} as ReplicaProbe,
    new HealthIndicatorService(),
    settingsFrom(REPLICAS_SETTINGS, env),
    settingsFrom(DATABASE_SETTINGS, env),
  ).definition;
}
