import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PrivateRedis } from './private-redis';
import { waitFor } from './wait';

const run = promisify(execFile);

/** Sends one command with redis-cli to 127.0.0.1:`port` and resolves with its raw output ('' when it failed). */
export async function redisCli(port: number, args: readonly string[], password?: string): Promise<string> {
  const auth = password ? ['--no-auth-warning', '-a', password] : [];
  try {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...auth, ...args], {
      timeout: 5000,
    });
    return stdout;
  } catch {
    return '';
  }
}

/** Settings of a {@link SentinelGroup}. */
export interface SentinelGroupOptions {
  /** The name the sentinels monitor the master under. */
  readonly masterName: string;
  /** `requirepass` of the master and the replica (the sentinels get none). */
  readonly password?: string;
}

/**
 * A Redis master, one replica (`--replicaof`) and three sentinels (quorum 2) on loopback, each a private server of
 * the test in a temp folder of its own. A master that stops answering is down for the sentinels after 1 s, so a
 * failover takes a few seconds. `destroy()` kills every process and removes every folder; call it in `afterAll`.
 */
export class SentinelGroup {
  private constructor(
    readonly options: SentinelGroupOptions,
    /** The master as started; after a failover, a dead process or a replica. */
    readonly master: PrivateRedis,
    readonly replica: PrivateRedis,
    readonly sentinels: readonly PrivateRedis[],
  ) {}

  /** Starts the group and resolves once every sentinel sees the master and its replica. */
  static async create(options: SentinelGroupOptions): Promise<SentinelGroup> {
    const servers: PrivateRedis[] = [];
    try {
      const auth = options.password ? ['--requirepass', options.password, '--masterauth', options.password] : [];
      const master = await PrivateRedis.create(auth);
      servers.push(master);
      const replica = await PrivateRedis.create([...auth, '--replicaof', '127.0.0.1', String(master.port)]);
      servers.push(replica);
      const { masterName } = options;
      const config = [
        `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 5000`,
        ...(options.password ? [`sentinel auth-pass ${masterName} ${options.password}`] : []),
        '',
      ].join('\n');
      for (let i = 0; i < 3; i++) {
        servers.push(await PrivateRedis.create(['--sentinel'], { config }));
      }
      const group = new SentinelGroup(options, master, replica, servers.slice(2));
      await waitFor(
        async () => (await Promise.all(group.sentinels.map((s) => group.seesReplica(s.port)))).every(Boolean),
        {
          what: 'every sentinel to see the master with its replica',
          timeoutMs: 20_000,
          intervalMs: 100,
        },
      );
      return group;
    } catch (error) {
      await Promise.all(servers.map((server) => server.destroy()));
      throw error;
    }
  }

  /** The service's REDIS_URL for this group, with `masterName` (default the monitored one) and the password. */
  url(masterName = this.options.masterName): string {
    const auth = this.options.password ? `:${encodeURIComponent(this.options.password)}@` : '';
    return `redis+sentinel://${auth}${this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${masterName}`;
  }

  /** The master's `host:port` as the sentinel on `port` names it ('' when it does not answer). */
  async masterAddress(port: number): Promise<string> {
    const lines = (await redisCli(port, ['SENTINEL', 'get-master-addr-by-name', this.options.masterName])).trim();
    return lines.split('\n').join(':');
  }

  /** Kills every process and removes every folder; idempotent. */
  async destroy(): Promise<void> {
    await Promise.all([this.master, this.replica, ...this.sentinels].map((server) => server.destroy()));
  }

  private async seesReplica(port: number): Promise<boolean> {
    const replicas = await redisCli(port, ['SENTINEL', 'replicas', this.options.masterName]);
    return /\bflags\s+slave\s/.test(replicas) && /master-link-status\s+ok\b/.test(replicas);
  }
}

/**
 * A three-node Redis Cluster without replicas on loopback (`redis-cli --cluster create`), node timeout 1 s, each node
 * a private server of the test. A node keeps its `nodes.conf` across a restart, so it rejoins. `destroy()` kills
 * every process and removes every folder; call it in `afterAll`.
 */
export class RedisClusterGroup {
  private constructor(readonly nodes: readonly PrivateRedis[]) {}

  /** Starts three nodes, makes them a cluster, and resolves once every node says `cluster_state:ok`. */
  static async create(): Promise<RedisClusterGroup> {
    const nodes: PrivateRedis[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        nodes.push(
          await PrivateRedis.create([
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '1000',
          ]),
        );
      }
      const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
      await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], {
        timeout: 30_000,
      });
      const group = new RedisClusterGroup(nodes);
      await group.until('ok', nodes);
      return group;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.destroy()));
      throw error;
    }
  }

  /** The service's REDIS_URL, naming the first two nodes (the client learns the third from them). */
  get url(): string {
    return `redis+cluster://${this.nodes
      .slice(0, 2)
      .map((node) => `127.0.0.1:${node.port}`)
      .join(',')}`;
  }

  /** The slots `node` serves, from its own `CLUSTER NODES` line (`myself`). */
  async slotsOf(node: PrivateRedis): Promise<number> {
    const lines = await redisCli(node.port, ['CLUSTER', 'NODES']);
    const mine = lines.split('\n').find((line) => line.includes('myself')) ?? '';
    return mine
      .split(' ')
      .slice(8)
      .map((range) => range.split('-').map(Number))
      .reduce((sum, [from, to = from]) => sum + to - from + 1, 0);
  }

  /** Resolves once each of `nodes` reports `cluster_state:<state>`. */
  async until(state: 'ok' | 'fail', nodes: readonly PrivateRedis[]): Promise<void> {
    await waitFor(
      async () =>
        (await Promise.all(nodes.map((node) => redisCli(node.port, ['CLUSTER', 'INFO'])))).every((info) =>
          info.includes(`cluster_state:${state}`),
        ),
      { what: `cluster_state:${state} on ${nodes.length} node(s)`, timeoutMs: 30_000, intervalMs: 100 },
    );
  }

  /** Kills every process and removes every folder; idempotent. */
  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.destroy()));
  }
}
