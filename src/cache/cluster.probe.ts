import { InjectRedis } from '@nestjs-modules/ioredis';
import { Inject, Injectable } from '@nestjs/common';
import type { Cluster } from 'ioredis';
import { CACHE_SETTINGS, type CacheSettings } from './cache.settings';
import { CacheUnavailableError } from './cache.probe';
import { askWithin } from './redis-ask';
import { topologyLimitMs } from './redis-topology-client';
import { clusterView, readClusterInfo, type ClusterReport, type ClusterView } from './redis-topology';

/**
 * The only code that asks a Redis Cluster for health, in Cluster mode: `CLUSTER INFO` of every node the service's
 * client holds a connection to (its own pool: no connection per probe), in parallel, each for at most four fifths
 * of the check's timeout.
 */
@Injectable()
export class ClusterProbe {
  /** Why the client last failed, so a fast failure still says what is wrong. */
  private lastError?: string;
  private readonly limitMs: number;

  constructor(
    // The client of the module: an ioredis `Cluster` in Cluster mode (and unused in any other).
    @InjectRedis() private readonly client: Cluster,
    @Inject(CACHE_SETTINGS.token) settings: CacheSettings,
  ) {
    this.limitMs = topologyLimitMs(settings.timeoutMs);
    if (settings.topology.mode !== 'cluster') return;
    const remember = (error: Error): void => void (this.lastError = error.message);
    client.on('error', remember);
    client.on('node error', remember);
    client.on('ready', () => (this.lastError = undefined));
  }

  /**
   * The cluster as the answering nodes see it ({@link clusterView}). Rejects with a CacheUnavailableError while the
   * client is not connected or when no node answered, with the abort reason when `signal` aborts first.
   */
  async info(signal: AbortSignal): Promise<ClusterReport> {
    const { client } = this;
    const reason = (): string => (this.lastError ? `${this.lastError}; ` : '');
    if (client.status !== 'ready') throw new CacheUnavailableError(`${reason()}not connected (${client.status})`);
    const nodes = client.nodes('all');
    const answers = await Promise.all(
      nodes.map((node) =>
        askWithin(node, this.limitMs, signal, async (n) => readClusterInfo(await n.call('CLUSTER', 'INFO'))).catch(
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        ),
      ),
    );
    signal.throwIfAborted();
    const views = answers.filter((answer): answer is ClusterView => !(answer instanceof Error));
    const view = clusterView(views);
    if (view) return view;
    const first = answers.find((answer): answer is Error => answer instanceof Error);
    throw new CacheUnavailableError(
      `no cluster node answered CLUSTER INFO (${nodes.length} asked)${first ? `: ${first.message}` : ''}`,
    );
  }
}
