/**
 * The pod as deploy/kubernetes runs it, against the real app: the built service (`node dist/main.js`) in a child
 * process with the ConfigMap's health settings and management listener, its dependencies behind fault proxies.
 * What the kubelet's probes, the two Services and Prometheus see during a PostgreSQL outage, and a deleted pod's
 * drain and exit under SIGTERM. Needs `npm run build` first (as `npm test` does).
 */
import { probe, untilStatus } from '../support/app';
import { ChildApp } from '../support/child-app';
import { ProxiedDependencies, proxyDependencies } from '../support/dependencies';
import { configData, container, podSpec, shutdownDelayMs } from '../support/kubernetes-manifests';
import { freePort } from '../support/ports';
import { DETAILS_ROUTES, METRICS_PATH, PROBE_PATHS } from '../support/service-routes';
import { waitFor } from '../support/wait';

describe('the pod as deploy/kubernetes runs it, against the real app', () => {
  let deps: ProxiedDependencies;
  let service: ChildApp | undefined;
  let managementPort: number;

  /**
   * The ConfigMap's health settings (timings, pool) and its management listener, with the dependencies pointed at
   * the local proxies. The listeners bind loopback at free ports (the ConfigMap's wildcard and fixed port are for
   * the pod's own network namespace).
   */
  const podEnv = (): Record<string, string> => ({
    // Not its HEALTH_DATA_DIR: that is the pod's volume; the child gets a folder of its own.
    ...Object.fromEntries(
      Object.entries(configData).filter(([name]) => name.startsWith('HEALTH_') && name !== 'HEALTH_DATA_DIR'),
    ),
    ...deps.env,
    MANAGEMENT_PORT: String(managementPort),
    MANAGEMENT_HOST: '127.0.0.1',
  });
  /** GET `path` (from the root) on the management port: what the probes, the status Service and Prometheus reach. */
  const management = (path: string) => probe(`http://127.0.0.1:${managementPort}${path}`);
  /** GET `path` (from the root) on the main port: what the Service secuscan-health routes traffic to. */
  const main = (app: ChildApp, path: string) => probe(`http://127.0.0.1:${app.port}${path}`);

  beforeEach(async () => {
    deps = await proxyDependencies();
    managementPort = await freePort();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await deps.close();
  });

  it('during a PostgreSQL outage the routes behind the status Service say why, and metrics are scraped', async () => {
    service = await ChildApp.start(podEnv());
    await untilStatus(() => management('/api/v1/health'), 'healthy');
    await deps.db.setMode('refuse');
    const report = await untilStatus(() => management('/api/v1/health'), 'unhealthy');
    // The kubelet's probes, on the management port: readiness 503 drops the pod from the main Service while
    // liveness keeps it running.
    const c = container();
    const ready = await management(c.readinessProbe?.httpGet?.path ?? '');
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toMatch(/database/);
    expect((await management(c.livenessProbe?.httpGet?.path ?? '')).status).toBe(200);
    // What an operator reads through secuscan-health-status: the report, with the failing check and why.
    expect(report.status).toBe(503);
    const why = { status: 'error', detail: expect.any(String) };
    expect(report.body.checks.database).toEqual(expect.objectContaining(why));
    const metrics = await management(METRICS_PATH);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.body.raw).toMatch(/^secuscan_health_check_up\{[^}]*\bcheck="database"[^}]*\} 0$/m);
    expect((await management('/status')).status).toBe(200);
    // The traffic port shows the status only, and no details route at all; the probes answer there too.
    const mainReport = await main(service, '/api/v1/health');
    expect({ status: mainReport.status, body: mainReport.body }).toEqual({
      status: 503,
      body: {
        status: 'unhealthy',
        checks: { database: { status: 'error' }, cache: { status: 'ok' }, plugins: expect.any(Object) },
      },
    });
    for (const route of DETAILS_ROUTES) expect([route, (await main(service, route)).status]).toEqual([route, 404]);
    expect((await main(service, PROBE_PATHS.readinessProbe)).status).toBe(503);
    expect((await main(service, PROBE_PATHS.livenessProbe)).status).toBe(200);
  });

  it("a deleted pod serves through the ConfigMap's drain delay, exits 0 within the grace period", async () => {
    service = await ChildApp.start(podEnv());
    await service.until('healthy');
    const graceMs = (podSpec.terminationGracePeriodSeconds ?? 30) * 1000;
    const app = service;
    let exited = false;
    void app.exited.then(() => (exited = true));

    const signalledAt = performance.now();
    app.kill('SIGTERM');
    // Readiness fails on both listeners: the kubelet's probe (management) and any check on the traffic port.
    await waitFor(
      () =>
        Promise.all([management(PROBE_PATHS.readinessProbe), app.get('/health/ready')]).then(
          (answers) => answers.every((a) => a.status === 503),
          () => false,
        ),
      { what: 'ready 503 on both ports' },
    );

    // Requests still routed to the pod while endpoint removal propagates: all answered, with Connection: close.
    let lastServedMs = 0;
    const answers: Array<[number, string | null]> = [];
    await waitFor(
      async () => {
        if (exited) return true;
        const answer = await app.get('/health').catch(() => undefined);
        if (answer) {
          answers.push([answer.status, answer.headers.get('connection')]);
          lastServedMs = performance.now() - signalledAt;
        }
        return exited;
      },
      { what: 'the pod to exit', timeoutMs: graceMs, intervalMs: 100 },
    );
    const exitedMs = performance.now() - signalledAt;

    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(answers.length).toBeGreaterThan(0);
    expect(new Set(answers.map(([status, connection]) => `${status} ${connection}`))).toEqual(new Set(['200 close']));
    expect(lastServedMs).toBeGreaterThanOrEqual(shutdownDelayMs - 1000);
    expect(exitedMs).toBeGreaterThanOrEqual(shutdownDelayMs);
    expect(exitedMs).toBeLessThan(graceMs);
  });
});
