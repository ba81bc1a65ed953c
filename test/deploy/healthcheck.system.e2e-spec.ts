/**
 * The container healthcheck, run exactly as Docker and compose run it (the commands read from the Dockerfile and
 * docker-compose.yml, with their environment), against the real app in every state and against servers that never
 * answer; and, on the same app, the routes the Kubernetes probes ask and which listener shows the details. Needs
 * `npm run build` first (as `npm test` does).
 */
import { probe, RunningApp, startApp } from '../support/app';
import { composeEnvironment, healthcheckCommand, service } from '../support/compose-file';
import { ProxiedDependencies, proxyDependencies } from '../support/dependencies';
import { healthcheckInstruction } from '../support/dockerfile';
import { expectRun, run, SCRIPT } from '../support/healthcheck-run';
import { container, probeKinds } from '../support/kubernetes-manifests';
import { freePort } from '../support/ports';
import { rawServer } from '../support/raw-server';
import { DETAILS_ROUTES, EVENTS_PATH } from '../support/service-routes';
import { statusOf } from '../support/status-of';

describe('the healthcheck script against the real app', () => {
  let deps: ProxiedDependencies;
  let app: RunningApp;
  let healthUrl: string;
  let appPort: string;
  let managementUrl: string;
  let managementPort: string;

  const waitForStatus = (status: string) => app.until(status);
  /** GET `path` (from the root) on the management listener, where the pod's probes go. */
  const management = (path: string) => probe(`${managementUrl}${path}`);

  beforeAll(async () => {
    deps = await proxyDependencies();
    managementPort = String(await freePort());
    app = await startApp({
      ...deps.env,
      HEALTH_CACHE_TTL_MS: '0',
      MANAGEMENT_PORT: managementPort,
      MANAGEMENT_HOST: '127.0.0.1',
    });
    managementUrl = app.managementUrl ?? '';
    healthUrl = `${managementUrl}/api/v1/health`;
    appPort = new URL(app.url).port;
  });
  afterAll(async () => {
    await app?.close();
    await deps?.close();
  });
  afterEach(async () => {
    await deps.db.setMode('pass');
    await deps.cache.setMode('pass');
  });

  it('exits 0 with "healthy 200" when the app is healthy', async () => {
    await waitForStatus('healthy');
    const result = await run(SCRIPT, { HEALTHCHECK_URL: healthUrl });
    expectRun(result, 0, 'healthy 200');
  });

  it('the compose and Dockerfile healthcheck commands, with the compose environment, check the management port', async () => {
    await waitForStatus('healthy');
    const composeArgv = healthcheckCommand(service('api').healthcheck).argv;
    const dockerArgv = healthcheckInstruction().cmd ?? [];
    // The compose api's environment (MANAGEMENT_HOST 0.0.0.0 included), with this app's ports in place of its own.
    const composeEnv = composeEnvironment(service('api'));
    expect(composeEnv.MANAGEMENT_PORT).toBeDefined();
    const closed = String(await freePort());
    for (const argv of [composeArgv, dockerArgv]) {
      const env = { ...composeEnv, PORT: closed, MANAGEMENT_PORT: managementPort };
      expectRun(await run(argv, env), 0, 'healthy 200');
    }
    // And the management port really is what it used: the main port serving does not help when it is closed.
    expectRun(
      await run(composeArgv, { ...composeEnv, PORT: appPort, MANAGEMENT_PORT: closed }),
      1,
      `cannot reach http://127.0.0.1:${closed}/api/v1/health: ECONNREFUSED (nothing listening)`,
    );
  });

  it('the image alone (no MANAGEMENT_PORT) checks PORT', async () => {
    await waitForStatus('healthy');
    const dockerArgv = healthcheckInstruction().cmd ?? [];
    expectRun(await run(dockerArgv, { PORT: appPort }), 0, 'healthy 200');
    const closed = String(await freePort());
    expectRun(
      await run(dockerArgv, { PORT: closed }),
      1,
      `cannot reach http://127.0.0.1:${closed}/api/v1/health: ECONNREFUSED (nothing listening)`,
    );
  });

  it('exits 0 with "degraded 200" when Redis is down', async () => {
    await deps.cache.setMode('refuse');
    await waitForStatus('degraded');
    expectRun(await run(SCRIPT, { HEALTHCHECK_URL: healthUrl }), 0, 'degraded 200');
  });

  it('exits 1 with "unhealthy 503" when PostgreSQL is down; the pod probes react as designed', async () => {
    await deps.db.setMode('refuse');
    await waitForStatus('unhealthy');
    expectRun(await run(SCRIPT, { HEALTHCHECK_URL: healthUrl }), 1, 'unhealthy 503');
    // Kubernetes: startup and liveness stay 200 (no restart for a database outage), readiness drops the pod; on
    // the management port the probes use, and on the main port as well.
    const c = container();
    for (const kind of probeKinds) {
      const path = c[kind]?.httpGet?.path ?? '';
      const expected = kind === 'readinessProbe' ? 503 : 200;
      expect([kind, (await management(path)).status]).toEqual([kind, expected]);
      expect([kind, (await app.get(path.replace(/^\/api\/v1/, ''))).status]).toEqual([kind, expected]);
    }
  });

  it('every Kubernetes probe route answers 200 on the management port of a healthy app', async () => {
    await waitForStatus('healthy');
    const c = container();
    for (const kind of probeKinds) {
      expect([kind, c[kind]?.httpGet?.port]).toEqual([kind, 'management']);
      const { status } = await management(c[kind]?.httpGet?.path ?? '');
      expect([kind, status]).toEqual([kind, 200]);
    }
  });

  it('details only on the management port: the main port answers status-only reports and 404 for the rest', async () => {
    await waitForStatus('healthy');
    const full = await management('/api/v1/health');
    expect(full.body).toEqual(expect.objectContaining({ status: 'healthy', version: expect.any(String) }));
    for (const route of DETAILS_ROUTES) expect([route, (await management(route)).status]).toEqual([route, 200]);
    const statusOnly = await app.get('/health');
    expect({ status: statusOnly.status, body: statusOnly.body }).toEqual({
      status: 200,
      body: {
        status: 'healthy',
        checks: { database: { status: 'ok' }, cache: { status: 'ok' }, plugins: { status: expect.any(String) } },
      },
    });
    for (const route of DETAILS_ROUTES) {
      expect([route, (await probe(`${app.url}${route}`)).status]).toEqual([route, 404]);
    }
    expect(await statusOf(`${app.url}${EVENTS_PATH}`)).toBe(404);
    expect(await statusOf(`${managementUrl}${EVENTS_PATH}`)).toBe(200);
  });

  it('exits 1 with "cannot reach … ECONNREFUSED" when nothing listens, without the URL\'s credentials', async () => {
    const port = await freePort();
    const url = `http://probe:s3cret@127.0.0.1:${port}/api/v1/health?token=t0ken`;
    expectRun(
      await run(SCRIPT, { HEALTHCHECK_URL: url }),
      1,
      `cannot reach http://127.0.0.1:${port}/api/v1/health: ECONNREFUSED (nothing listening)`,
    );
  });

  it('cuts off a server that accepts and never answers at HEALTHCHECK_TIMEOUT_MS', async () => {
    const hung = await rawServer();
    try {
      const result = await run(SCRIPT, { HEALTHCHECK_URL: hung.url, HEALTHCHECK_TIMEOUT_MS: '500' });
      expectRun(result, 1, `${hung.url} timed out after 500 ms`);
      expect(result.ms).toBeGreaterThanOrEqual(450);
      expect(result.ms).toBeLessThan(2000);
    } finally {
      await hung.close();
    }
  });

  it('cuts off a server that sends 200 headers and then stalls the body', async () => {
    const stalling = await rawServer((socket) => {
      const head = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
      socket.once('data', () => socket.write(`${head}{"sta`));
    });
    try {
      const result = await run(SCRIPT, { HEALTHCHECK_URL: stalling.url, HEALTHCHECK_TIMEOUT_MS: '500' });
      expectRun(result, 1, `${stalling.url} timed out after 500 ms`);
      expect(result.ms).toBeLessThan(2000);
    } finally {
      await stalling.close();
    }
  });
});
