import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { waitFor } from './support/wait';

/** Liveness, readiness and metrics of the real app over real PostgreSQL and Redis behind fault proxies. */
describe('liveness, readiness and metrics', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;

  const until = (path: string, ok: (body: Record<string, unknown>) => boolean, what: string) =>
    waitFor(
      async () => {
        const answer = await service.get(path);
        return ok(answer.body) && answer;
      },
      { what, timeoutMs: 15_000 },
    );
  const evaluations = async (): Promise<number> => {
    const response = await fetch(`${service.url}/api/v1/metrics`);
    const text = await response.text();
    return [...text.matchAll(/^secuscan_health_evaluations_total\{[^}]*\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };

  beforeAll(async () => {
    deps = await proxyDependencies();
  });
  afterAll(async () => {
    await deps.close();
  });
  afterEach(async () => {
    await service?.close();
    await deps.db.setMode('pass');
    await deps.cache.setMode('pass');
  });

  it('readiness says starting (503) until the first evaluation has finished', async () => {
    await deps.db.setMode('blackhole');
    // The default 2 s database timeout keeps the first evaluation running long enough to be seen unfinished; the
    // long TTL lets the poll below read that evaluation instead of waiting on a fresh one each time.
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '60000' });
    const early = await service.get('/health/ready');
    expect(early.status).toBe(503);
    expect(early.body).toEqual({ ready: false, status: 'starting', reason: expect.any(String) });
    const later = await until('/health/ready', (b) => b.status !== 'starting', 'first evaluation');
    expect(later.status).toBe(503);
    expect(later.body.status).toBe('unhealthy');
    expect(later.body.reason).toContain('database: database SELECT 1 timed out after 2000 ms');
  });

  it('liveness answers in milliseconds while PostgreSQL and Redis both hang', async () => {
    // The default timeouts (2 s database): the report must still be waiting after 20 liveness answers.
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' });
    await until('/health/ready', (b) => b.status === 'healthy', 'healthy');
    await deps.db.setMode('blackhole');
    await deps.cache.setMode('blackhole');
    let reportDone = false;
    const slow = service.get('/health').finally(() => (reportDone = true));
    const live = [];
    for (let i = 0; i < 20; i++) live.push(await service.get('/health/live'));
    // All 20 answered while the report still waits on the hung dependencies, each far below any probe timeout.
    expect(reportDone).toBe(false);
    expect(live.every((a) => a.status === 200 && a.body.status === 'ok')).toBe(true);
    expect(Math.max(...live.map((a) => a.ms))).toBeLessThan(250);
    expect(live[0].headers.get('cache-control')).toBe('no-store');
    expect((await slow).status).toBe(503);
  });

  it('readiness: 200 healthy, 200 degraded, 503 unhealthy, with the reason', async () => {
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' });
    const healthy = await until('/health/ready', (b) => b.status === 'healthy', 'healthy');
    expect(healthy.status).toBe(200);
    expect(healthy.body).toEqual({ ready: true, status: 'healthy', reason: null });
    expect(healthy.headers.get('content-type')).toMatch(/^application\/json/);

    await deps.cache.setMode('refuse');
    const degraded = await until('/health/ready', (b) => b.status === 'degraded', 'degraded');
    expect(degraded.status).toBe(200);
    expect(degraded.body.ready).toBe(true);
    expect(degraded.body.reason).toMatch(/^cache: redis unreachable/);

    await deps.db.setMode('refuse');
    const unhealthy = await until('/health/ready', (b) => b.status === 'unhealthy', 'unhealthy');
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.body.ready).toBe(false);
  });

  it('readiness and the report share one evaluation; scraping metrics adds none', async () => {
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '60000' });
    await until('/health/ready', (b) => b.status === 'healthy', 'healthy');
    const before = await evaluations();
    const db = deps.db.totalConnections;
    for (let i = 0; i < 10; i++) {
      await service.get('/health');
      await service.get('/health/ready');
      await fetch(`${service.url}/api/v1/metrics`).then((r) => r.text());
    }
    expect(await evaluations()).toBe(before);
    expect(deps.db.totalConnections).toBe(db);
  });

  it('concurrent readiness and report callers share the evaluation in flight', async () => {
    // The default 2 s database timeout: all 40 callers arrive while the one evaluation still hangs, even on a busy
    // machine.
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' });
    await until('/health/ready', (b) => b.status === 'healthy', 'healthy');
    await deps.db.setMode('blackhole');
    const before = await evaluations();
    await Promise.all([
      ...Array.from({ length: 20 }, () => service.get('/health')),
      ...Array.from({ length: 20 }, () => service.get('/health/ready')),
    ]);
    expect((await evaluations()) - before).toBe(1);
  });

  it('metrics reflect each state, in the Prometheus text format', async () => {
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0', APP_VERSION: '3.1.4' });
    await until('/health', (b) => b.status === 'healthy', 'healthy');
    await deps.cache.setMode('refuse');
    await until('/health', (b) => b.status === 'degraded', 'degraded');
    const response = await fetch(`${service.url}/api/v1/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('secuscan_health_build_info{version="3.1.4"} 1');
    expect(text).toContain('secuscan_health_status{status="degraded"} 1');
    expect(text).toContain('secuscan_health_check_up{check="cache"} 0');
    expect(text).toContain('secuscan_health_check_up{check="database"} 1');
    expect(text).toMatch(/secuscan_health_check_latency_seconds_count\{check="database"\} [1-9]/);
    expect(text).toContain('process_resident_memory_bytes');
  });
});
