import { RunningApp, startApp, type Probe } from './support/app';
import { cacheExample, SENTINEL_EXAMPLE_URL } from './support/docs-examples';
import { FaultProxy } from './support/fault-proxy';
import { redisCli, SentinelGroup } from './support/redis-topologies';
import { waitFor } from './support/wait';

const PASSWORD = 'Sent1nel-pw';
const TIMEOUT_MS = 1000;

/**
 * REDIS_URL=redis+sentinel://…: the service finds the master through real sentinels (three, quorum 2) in front of a
 * real master and replica, reports what the sentinels see, and follows a failover by itself after the master is
 * killed. Prints how long the report took to show the new truth.
 */
describe('Redis behind Sentinel', () => {
  let group: SentinelGroup;
  let service: RunningApp | undefined;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    group = await SentinelGroup.create({ masterName: 'scanner-cache', password: PASSWORD });
  }, 60_000);
  afterEach(async () => {
    await service?.close();
    service = undefined;
    await proxy?.close();
    proxy = undefined;
  });
  afterAll(async () => group?.destroy());

  const cache = async (): Promise<Probe['body']> => {
    const report = await service!.get('/health');
    return report.body.checks.cache as Probe['body'];
  };

  it('reports the master, the sentinels that answered and the replicas, in the report, metrics and OpenAPI', async () => {
    service = await startApp({ REDIS_URL: group.url(), HEALTH_CACHE_TTL_MS: '0' });
    const healthy = await service.until('healthy');
    expect(healthy.body.checks.cache).toEqual({
      status: 'ok',
      mode: 'sentinel',
      master: `127.0.0.1:${group.master.port}`,
      sentinels: 3,
      sentinels_reachable: 3,
      replicas: 1,
      latency_ms: expect.any(Number),
      detail: null,
    });
    // The documented example (docs/replication.md, generated from the check's definition) has the same fields.
    expect(Object.keys(healthy.body.checks.cache).sort()).toEqual(
      Object.keys(cacheExample(SENTINEL_EXAMPLE_URL) as object).sort(),
    );
    const metrics = String((await service.get('/metrics')).body.raw);
    expect(metrics).toContain('secuscan_health_check_value{check="cache",field="sentinels_reachable"} 3');
    expect(metrics).toContain('secuscan_health_check_value{check="cache",field="replicas"} 1');
    const doc = (await probeJson(`${service.url}/api/docs-json`)) as OpenApi;
    const fields = doc.components.schemas.HealthChecks.properties.cache.allOf[1].properties;
    expect(fields.mode).toMatchObject({ type: 'string', example: 'sentinel' });
    expect(fields.master).toMatchObject({ type: 'string' });
    expect(fields.sentinels_reachable).toMatchObject({ type: 'integer' });
    expect(JSON.stringify(service.logger.lines)).not.toContain(PASSWORD);
  });

  it('a sentinel down or hung costs its own answer, not the report', async () => {
    const [first, ...others] = group.sentinels;
    proxy = await FaultProxy.start({ host: '127.0.0.1', port: first.port });
    const url = group.url().replace(`127.0.0.1:${first.port}`, `127.0.0.1:${proxy.port}`);
    service = await startApp({ REDIS_URL: url, HEALTH_CACHE_TIMEOUT_MS: String(TIMEOUT_MS), HEALTH_CACHE_TTL_MS: '0' });
    await waitFor(async () => (await cache()).sentinels_reachable === 3, { what: 'all three sentinels to answer' });

    await proxy.setMode('blackhole');
    const hung = await service.get('/health');
    expect(hung.body.checks.cache).toMatchObject({ status: 'ok', sentinels: 3, sentinels_reachable: 2, replicas: 1 });
    // The hung sentinel is given four fifths of the check's timeout; the report does not wait longer.
    expect(hung.ms).toBeLessThan(TIMEOUT_MS * 3);
    expect(hung.body.checks.cache.latency_ms).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.8 - 50);

    await proxy.setMode('refuse');
    const down = await waitFor(
      async () => {
        const answer = await service!.get('/health');
        return answer.body.checks.cache.sentinels_reachable === 2 && answer.ms < TIMEOUT_MS * 0.8 && answer;
      },
      { what: 'a fast report without the refused sentinel' },
    );
    expect(down.body.checks.cache).toMatchObject({ status: 'ok', master: `127.0.0.1:${group.master.port}` });

    await proxy.setMode('pass');
    await waitFor(async () => (await cache()).sentinels_reachable === 3, { what: 'the sentinel back in the count' });
    expect(others).toHaveLength(2);
  });

  it('says when no sentinel knows the master name, and never shows the password', async () => {
    service = await startApp({ REDIS_URL: group.url('no-such-master'), HEALTH_CACHE_TTL_MS: '0' });
    const degraded = await service.until('degraded');
    expect(degraded.body.checks.cache).toEqual({
      status: 'error',
      mode: 'sentinel',
      sentinels: 3,
      sentinels_reachable: 3,
      latency_ms: expect.any(Number),
      detail: 'redis unreachable: no sentinel knows a master named "no-such-master" (3 of 3 answered)',
    });
    expect(JSON.stringify(service.logger.lines) + JSON.stringify(degraded.body)).not.toContain(PASSWORD);
  });

  it('a wrong password is an error that names neither password', async () => {
    const wrong = group.url().replace(encodeURIComponent(PASSWORD), 'Wr0ng-pw');
    service = await startApp({ REDIS_URL: wrong, HEALTH_CACHE_TTL_MS: '0' });
    const degraded = await service.until('degraded');
    expect(degraded.body.checks.cache).toMatchObject({
      status: 'error',
      mode: 'sentinel',
      master: `127.0.0.1:${group.master.port}`,
      sentinels_reachable: 3,
      detail: expect.stringMatching(/^redis unreachable: .*WRONGPASS/),
    });
    const seen = JSON.stringify(service.logger.lines) + JSON.stringify(degraded.body);
    expect(seen).not.toContain('Wr0ng-pw');
    expect(seen).not.toContain(PASSWORD);
  });

  // Last: it turns the replica into the master for good.
  it('follows a failover by itself: the master killed, the report names the promoted replica', async () => {
    service = await startApp({ REDIS_URL: group.url(), HEALTH_CACHE_TTL_MS: '0' });
    await service.until('healthy');
    const killedAt = performance.now();
    await group.master.kill();
    const lost = await waitFor(
      async () => {
        const check = await cache();
        return check.status === 'error' && check;
      },
      { what: 'the report to see the master gone', timeoutMs: 10_000, intervalMs: 20 },
    );
    const lostMs = performance.now() - killedAt;
    expect(lost).toMatchObject({ mode: 'sentinel', sentinels_reachable: 3 });
    expect(lost.detail).toMatch(/^redis unreachable: /);

    const promoted = `127.0.0.1:${group.replica.port}`;
    const followed = await waitFor(
      async () => {
        const check = await cache();
        return check.status === 'ok' && check.master === promoted && check;
      },
      { what: `the report to name ${promoted} as master`, timeoutMs: 30_000, intervalMs: 50 },
    );
    const followedMs = performance.now() - killedAt;
    // The sentinels' own word, asked apart. The sentinel that led the failover names the new master first; the
    // others learn it from its hello messages on the new master a moment later, so wait for all three to agree.
    const sentinelsMoved = await waitFor(
      async () => {
        const named = await Promise.all(group.sentinels.map((sentinel) => group.masterAddress(sentinel.port)));
        return named.every((address) => address === named[0]) && named[0];
      },
      { what: 'the three sentinels to name one master', timeoutMs: 10_000, intervalMs: 50 },
    );
    console.log(
      `Sentinel failover (down-after-milliseconds 1000, quorum 2 of 3): master killed → cache error in ` +
        `${Math.round(lostMs)} ms → ok on the promoted replica ${promoted} in ${Math.round(followedMs)} ms`,
    );
    expect(sentinelsMoved).toBe(promoted);
    expect(followed).toMatchObject({ sentinels_reachable: 3, replicas: 0 });
    // The service reaches the new master itself, not only the sentinels' word for it.
    expect(await redisCli(group.replica.port, ['ROLE'], PASSWORD)).toMatch(/^master/);
    expect((await service.get('/health')).body.status).toBe('healthy');
  }, 60_000);
});

interface OpenApi {
  components: {
    schemas: {
      HealthChecks: { properties: Record<string, { allOf: [unknown, { properties: Record<string, unknown> }] }> };
    };
  };
}

async function probeJson(url: string): Promise<unknown> {
  return (await fetch(url)).json();
}
