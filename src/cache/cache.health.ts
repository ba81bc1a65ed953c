import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { describeFailure } from '../common/redact';
import type { CheckDefinition, HealthIndicator, IndicatorResult } from '../health';
import { CACHE_SETTINGS, type CacheSettings } from './cache.settings';
import { CacheProbe } from './cache.probe';
import { ClusterProbe } from './cluster.probe';
import { CLUSTER_FIELDS, clusterFailure, SENTINEL_FIELDS, sentinelView } from './redis-topology';
import type { RedisTopology } from './redis-topology-url';
import { SentinelProbe } from './sentinel.probe';

/** What the check does and reports, by topology: one server as before; Sentinel and Cluster say what they see. */
const BY_MODE = {
  standalone: { operation: 'redis PING', description: 'Redis: `PING` on the service’s connection' },
  sentinel: {
    operation: 'redis PING and sentinel queries',
    description:
      'Redis behind Sentinel: `PING` on the service’s connection to the master, and each sentinel asked for the ' +
      'master and its replicas',
    fields: SENTINEL_FIELDS,
  },
  cluster: {
    operation: 'redis CLUSTER INFO',
    description: 'Redis Cluster: `CLUSTER INFO` of every node the service is connected to',
    fields: CLUSTER_FIELDS,
  },
} as const;

/**
 * Redis: `PING`, and in Sentinel or Cluster mode what the sentinels or the nodes see. Not critical: without Redis the
 * service is degraded but still serves.
 */
@Injectable()
export class CacheIndicator implements HealthIndicator {
  readonly definition: CheckDefinition;
  private readonly topology: RedisTopology;

  constructor(
    private readonly probe: CacheProbe,
    private readonly health: HealthIndicatorService,
    @Inject(CACHE_SETTINGS.token) settings: CacheSettings,
    private readonly sentinels: SentinelProbe,
    private readonly cluster: ClusterProbe,
  ) {
    this.topology = settings.topology;
    this.definition = {
      key: 'cache',
      critical: false,
      componentType: 'datastore',
      timeoutMs: settings.timeoutMs,
      failure: 'redis unreachable',
      ...BY_MODE[settings.topology.mode],
      example: { latencyMs: 0.8, failure: { detail: 'redis PING timed out after 1000 ms', latencyMs: 1000.6 } },
    };
  }

  async check(signal: AbortSignal): Promise<IndicatorResult> {
    const session = this.health.check(this.definition.key);
    switch (this.topology.mode) {
      case 'standalone':
        await this.probe.ping(signal);
        return session.up();
      case 'sentinel': {
        const [failure, answers] = await Promise.all([
          this.probe.ping(signal).then(
            () => undefined,
            (error: unknown) => error,
          ),
          this.sentinels.ask(signal),
        ]);
        const view = sentinelView(answers);
        if (failure === undefined) return session.up({ ...view });
        return session.down({ ...view, detail: this.sentinelFailure(failure, view) });
      }
      case 'cluster': {
        const view = await this.cluster.info(signal);
        return view.cluster_state === 'ok'
          ? session.up({ ...view })
          : session.down({ ...view, detail: clusterFailure(view) });
      }
    }
  }

  /** Why the master cannot be reached; "no master of that name" when the sentinels that answered know none. */
  private sentinelFailure(error: unknown, view: ReturnType<typeof sentinelView>): string {
    if (this.topology.mode !== 'sentinel' || view.master !== undefined || view.sentinels_reachable === 0) {
      return describeFailure(this.definition.failure, error);
    }
    const { masterName } = this.topology;
    const asked = `${view.sentinels_reachable} of ${view.sentinels} answered`;
    return `${this.definition.failure}: no sentinel knows a master named "${masterName}" (${asked})`;
  }
}
