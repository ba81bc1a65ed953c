import { RunningApp, startApp, type Probe } from './support/app';
import { cli } from './support/cli';
import { cacheExample, CLUSTER_EXAMPLE_URL } from './support/docs-examples';
import { RedisClusterGroup } from './support/redis-topologies';
import { waitFor } from './support/wait';

const TIMEOUT_MS = 1000;

/**
 * REDIS_URL=redis+cluster://…: the service reads `CLUSTER INFO` from a real three-node Redis Cluster (no replicas,
 * node timeout 1 s) and reports `cluster_state`, the slots and the nodes; a node killed leaves a third of the slots
 * unserved, which must turn the cache check into an error, and its return must turn it back. Prints how long the
 * report took to show each.
 */
describe('Redis Cluster', () => {
  let cluster: RedisClusterGroup;
  let service: RunningApp;

  beforeAll(async () => {
    cluster = await RedisClusterGroup.create();
    service = await startApp({
      REDIS_URL: cluster.url,
      HEALTH_CACHE_TIMEOUT_MS: String(TIMEOUT_MS),
      HEALTH_CACHE_TTL_MS: '0',
    });
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await cluster?.destroy();
  });

  const cache = async (): Promise<Probe['body']> => {
    const report = await service.get('/health');
    return report.body.checks.cache as Probe['body'];
  };

  it('reports cluster_state, the slots and the nodes, in the report and the metrics', async () => {
    const healthy = await service.until('healthy');
    expect(healthy.body.checks.cache).toEqual({
      status: 'ok',
      mode: 'cluster',
      cluster_state: 'ok',
      slots_assigned: 16384,
      slots_ok: 16384,
      slots_pfail: 0,
      slots_fail: 0,
      nodes: 3,
      nodes_reachable: 3,
      latency_ms: expect.any(Number),
      detail: null,
    });
    // The documented example (docs/replication.md, generated from the check's definition) has the same fields.
    expect(Object.keys(healthy.body.checks.cache).sort()).toEqual(
      Object.keys(cacheExample(CLUSTER_EXAMPLE_URL) as object).sort(),
    );
    const metrics = String((await service.get('/metrics')).body.raw);
    expect(metrics).toContain('secuscan_health_check_value{check="cache",field="slots_ok"} 16384');
    expect(metrics).toContain('secuscan_health_check_value{check="cache",field="nodes"} 3');
  });

  it('a hung node costs its own answer, not the report', async () => {
    const hung = cluster.nodes[2];
    hung.pause(true);
    try {
      const answer = await service.get('/health');
      expect(answer.ms).toBeLessThan(TIMEOUT_MS * 3);
      // The other two still answer within the check's time, whatever state they see the cluster in by then.
      expect(answer.body.checks.cache).toMatchObject({ mode: 'cluster', nodes: 3, nodes_reachable: 2 });
      expect(answer.body.checks.cache.latency_ms).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.8 - 50);
    } finally {
      hung.pause(false);
    }
    await cluster.until('ok', cluster.nodes);
    // The client let go of the hung node's connection; it asks the node again once it answers.
    await waitFor(async () => (await cache()).nodes_reachable === 3, {
      what: 'all three nodes to answer again',
      timeoutMs: 20_000,
    });
  });

  it('a node killed: cluster_state fail makes the cache an error; back, it is ok again', async () => {
    await service.until('healthy');
    const victim = cluster.nodes[2];
    const lost = await cluster.slotsOf(victim);
    expect(lost).toBeGreaterThan(5000);
    const killedAt = performance.now();
    await victim.kill();
    const failed = await waitFor(
      async () => {
        const check = await cache();
        return check.cluster_state === 'fail' && check;
      },
      { what: 'the report to show cluster_state fail', timeoutMs: 20_000, intervalMs: 50 },
    );
    const failedMs = performance.now() - killedAt;
    expect(failed).toEqual({
      status: 'error',
      mode: 'cluster',
      cluster_state: 'fail',
      slots_assigned: 16384,
      slots_ok: 16384 - lost,
      slots_pfail: 0,
      slots_fail: lost,
      nodes: 3,
      nodes_reachable: 2,
      latency_ms: expect.any(Number),
      detail: `cluster_state is fail: ${16384 - lost} of 16384 slots ok (${lost} failing)`,
    });
    expect((await service.get('/health')).status).toBe(200); // degraded: Redis is not critical
    // The CLI shows the detail of a failing check; its fields when ok (below).
    const failing = await cli(['--url', `${service.url}/api/v1/health`]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^cache +error +\d+\.\d ms +cluster_state is fail: \d+ of 16384 slots ok/m);

    const restartedAt = performance.now();
    await victim.start();
    await waitFor(async () => (await cache()).status === 'ok', {
      what: 'the report to show the cluster ok again',
      timeoutMs: 20_000,
      intervalMs: 50,
    });
    const recoveredMs = performance.now() - restartedAt;
    console.log(
      `Redis Cluster (3 masters, cluster-node-timeout 1000): node killed → cache error (cluster_state fail, ${lost} ` +
        `slots failing) in ${Math.round(failedMs)} ms; node restarted → cache ok in ${Math.round(recoveredMs)} ms`,
    );
    expect(await cache()).toMatchObject({ cluster_state: 'ok', slots_ok: 16384, slots_fail: 0 });
    const ok = await cli(['--url', `${service.url}/api/v1/health`]);
    expect(ok.stdout).toMatch(/^cache +ok +\d+\.\d ms +mode=cluster, cluster_state=ok, slots_assigned=16384, /m);
  }, 60_000);
});
