import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { CACHE_SETTINGS, type CacheSettings } from './cache.settings';
import { askWithin } from './redis-ask';
import { logConnectionChanges } from './redis-connection-log';
import { redisClientBasics, topologyLimitMs } from './redis-topology-client';
import { countUpReplicas, readMasterAddress, type SentinelAnswer } from './redis-topology';
import { hostPort } from '../config/connection-url';

/** The states in which a sentinel's connection is open or opening; in any other, it is not asked. */
const ASKABLE = new Set(['ready', 'connecting', 'connect']);

interface Sentinel {
  readonly address: string;
  readonly client: Redis;
}

/**
 * The only code that asks the sentinels, for the cache check in Sentinel mode: one long-lived connection to each
 * sentinel of REDIS_URL (never one per probe), asked `SENTINEL get-master-addr-by-name` and `SENTINEL replicas`, all
 * in parallel, each for at most four fifths of the check's timeout. Holds nothing in any other mode.
 */
@Injectable()
export class SentinelProbe implements OnApplicationShutdown {
  private readonly sentinels: readonly Sentinel[];
  private readonly masterName: string;
  private readonly limitMs: number;

  constructor(@Inject(CACHE_SETTINGS.token) settings: CacheSettings) {
    const { topology } = settings;
    this.limitMs = topologyLimitMs(settings.timeoutMs);
    this.masterName = topology.mode === 'sentinel' ? topology.masterName : '';
    this.sentinels =
      topology.mode === 'sentinel'
        ? topology.sentinels.map((host) => {
            const address = hostPort(host);
            // No password: the URL's is the Redis servers'. No ready check: a sentinel answers no INFO keyspace.
            const client = new Redis({ ...redisClientBasics(settings.timeoutMs), ...host, enableReadyCheck: false });
            // Also keeps ioredis from printing every failed reconnect of a sentinel that is down.
            logConnectionChanges(client, { tls: false, database: 0, address }, new Logger(`Redis sentinel ${address}`));
            return { address, client };
          })
        : [];
  }

  /** Each sentinel's answer, in REDIS_URL's order; `undefined` for one that is down, hung or answered nonsense. */
  ask(signal: AbortSignal): Promise<(SentinelAnswer | undefined)[]> {
    return Promise.all(this.sentinels.map((sentinel) => this.askOne(sentinel, signal).catch(() => undefined)));
  }

  private async askOne({ client }: Sentinel, signal: AbortSignal): Promise<SentinelAnswer> {
    if (!ASKABLE.has(client.status)) throw new Error(`not connected (${client.status})`);
    return askWithin(client, this.limitMs, signal, async (sentinel) => {
      const [reply, replicas] = await Promise.all([
        sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName),
        sentinel.call('SENTINEL', 'REPLICAS', this.masterName).catch((error: unknown) => error),
      ]);
      const master = readMasterAddress(reply);
      // A sentinel that does not monitor the name answers the address with null and refuses the replicas.
      if (master === null) return { master, replicas: 0 };
      if (replicas instanceof Error) throw replicas;
      return { master, replicas: countUpReplicas(replicas) };
    });
  }

  /** Closes the sentinel connections without waiting on them (a hung sentinel would never answer `QUIT`). */
  onApplicationShutdown(): void {
    for (const { client } of this.sentinels) client.disconnect();
  }
}
