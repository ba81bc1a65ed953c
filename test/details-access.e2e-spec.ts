import { RunningApp, probe, startApp } from './support/app';
import { cli } from './support/cli';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { freePort } from './support/ports';

const TOKEN = 'test-token-0123456789abcdef';
const BEARER = { authorization: `Bearer ${TOKEN}` };
/**
 * Routes that show nothing but details, besides metrics: plugin diagnostics, history, the event stream, the status
 * page and its files (hidden with the page; public when only a token is missing, since the page must load them to
 * ask for it).
 */
const DETAILS_PATHS = [
  '/api/v1/health/plugins',
  '/api/v1/health/plugins/runnable',
  '/api/v1/health/history',
  '/api/v1/health/events',
  '/status',
  '/status/status.js',
];
const PAGE_FILES = ['/status/status.js', '/status/sse.js', '/status/status.css'];

/** The HTTP status of GET `url`, without reading the body (an event stream's never ends). */
async function statusOf(url: string, headers: Record<string, string> = {}): Promise<number> {
  const controller = new AbortController();
  try {
    return (await fetch(url, { headers, signal: controller.signal })).status;
  } finally {
    controller.abort();
  }
}

const STATUS_ONLY = {
  status: 'degraded',
  checks: { database: { status: 'ok' }, cache: { status: 'error' }, plugins: { status: 'ok' } },
};

/** Who sees what, over real sockets, with the cache cut so the report has a failure detail worth hiding. */
describe('HEALTH_DETAILS and the management listener', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp | undefined;

  beforeAll(async () => {
    deps = await proxyDependencies();
    await deps.cache.setMode('refuse');
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  afterAll(async () => deps?.close());

  const start = async (env: Record<string, string>) => {
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0', ...env });
    await service.until('degraded');
    return service;
  };

  describe('when-authorized', () => {
    const env = { HEALTH_DETAILS: 'when-authorized', HEALTH_TOKEN: TOKEN };

    it('gives statuses only without the token, the full report with it, and the same code either way', async () => {
      const app = await start(env);
      const anonymous = await app.get('/health');
      expect(anonymous.status).toBe(200);
      expect(anonymous.body).toEqual(STATUS_ONLY);
      expect((await app.get('/health', { authorization: 'Bearer wrong-token-0123456789' })).body).toEqual(STATUS_ONLY);
      expect((await app.get('/health', { accept: 'application/health+json' })).body).toEqual({
        status: 'warn',
        checks: { database: [{ status: 'pass' }], cache: [{ status: 'fail' }], plugins: [{ status: 'pass' }] },
      });

      const authorized = await app.get('/health', BEARER);
      expect(authorized.status).toBe(200);
      expect(authorized.body.version).toEqual(expect.any(String));
      expect(authorized.body.checks.cache.detail).toMatch(/ECONNREFUSED/);
    });

    it('answers 401 with WWW-Authenticate: Bearer for metrics, 200 with the token', async () => {
      const app = await start(env);
      const refused = await app.get('/metrics');
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(JSON.stringify(refused.body)).not.toMatch(/process_|secuscan_/);
      const allowed = await app.get('/metrics', BEARER);
      expect(allowed.status).toBe(200);
      expect(allowed.body.raw).toContain('secuscan_health_status');
    });

    it('answers 401 for diagnostics, history, events and the status page, 200 with the token; page files stay public', async () => {
      const app = await start(env);
      for (const path of DETAILS_PATHS.filter((p) => !PAGE_FILES.includes(p))) {
        expect([path, await statusOf(`${app.url}${path}`)]).toEqual([path, 401]);
        expect([path, await statusOf(`${app.url}${path}`, BEARER)]).toEqual([path, 200]);
      }
      for (const path of PAGE_FILES) expect([path, await statusOf(`${app.url}${path}`)]).toEqual([path, 200]);
    });

    it('secuscan-health shows the diagnostics with HEALTH_TOKEN and explains the 401 without it', async () => {
      const app = await start(env);
      const url = `${app.url}/api/v1/health/plugins`;
      const anonymous = await cli(['plugins', '--url', url]);
      expect(anonymous.code).toBe(2);
      expect(anonymous.stderr).toMatch(/answered 401: it shows details only with a token \(set HEALTH_TOKEN/);
      const authorized = await cli(['plugins', '--url', url], { HEALTH_TOKEN: TOKEN });
      expect([0, 1]).toContain(authorized.code);
      expect(authorized.stdout).toMatch(/^plugins: \d+ total/m);
    });

    it('never asks a probe for a token; readiness names the failing check without its detail', async () => {
      const app = await start(env);
      expect((await app.get('/health/live')).status).toBe(200);
      const ready = await app.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ ready: true, status: 'degraded', reason: 'cache failing' });
      expect((await app.get('/health/ready', BEARER)).body.reason).toMatch(/^cache: .*ECONNREFUSED/);
    });

    it('documents the bearer scheme on the metrics operation, and none on the report, which never needs it', async () => {
      const app = await start(env);
      // The document with the details routes is the token holder's (test/api-document-tiers.e2e-spec.ts).
      const doc = (await probe(`${app.url}/api/docs-json`, BEARER)).body;
      expect(doc.components.securitySchemes['health-token']).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.paths['/api/v1/metrics'].get.security).toEqual([{ 'health-token': [] }]);
      expect(doc.paths['/api/v1/metrics'].get.responses['401']).toBeDefined();
      // The report answers 200 or 503 without a token under every HEALTH_DETAILS: no padlock (the document's
      // top-level `security: []` says anonymous).
      expect(doc.paths['/api/v1/health'].get.security).toBeUndefined();
      expect(doc.paths['/api/v1/health'].get.responses['401']).toBeUndefined();
      expect(doc.security).toEqual([]);
    });
  });

  it('never: statuses only even with a token, and 404 for metrics', async () => {
    const app = await start({ HEALTH_DETAILS: 'never' });
    expect((await app.get('/health', BEARER)).body).toEqual(STATUS_ONLY);
    const metrics = await app.get('/metrics', BEARER);
    expect(metrics.status).toBe(404);
    expect(metrics.body).toEqual({ message: 'Cannot GET /api/v1/metrics', error: 'Not Found', statusCode: 404 });
    expect((await app.get('/health/ready')).body.reason).toBe('cache failing');
    for (const path of DETAILS_PATHS) expect([path, await statusOf(`${app.url}${path}`, BEARER)]).toEqual([path, 404]);
  });

  it('always (the default): everything to everybody', async () => {
    const app = await start({});
    expect((await app.get('/health')).body.checks.cache.detail).toMatch(/ECONNREFUSED/);
    expect((await app.get('/metrics')).status).toBe(200);
  });

  it('with MANAGEMENT_PORT, details and metrics are served on it only; docs on both, the full document there only', async () => {
    const port = await freePort();
    const app = await start({ MANAGEMENT_PORT: String(port) });
    const management = app.managementUrl ?? '';
    expect(management).toBe(`http://127.0.0.1:${port}`);

    expect((await app.get('/health')).body).toEqual(STATUS_ONLY);
    expect((await app.get('/metrics')).status).toBe(404);
    expect((await app.get('/health/live')).status).toBe(200);
    expect((await app.get('/health/ready')).status).toBe(200);
    expect((await probe(`${app.url}/api/docs`)).status).toBe(200);

    expect((await probe(`${management}/api/v1/health`)).body.checks.cache.detail).toMatch(/ECONNREFUSED/);
    expect((await probe(`${management}/api/v1/metrics`)).status).toBe(200);
    expect((await probe(`${management}/api/v1/health/live`)).status).toBe(200);
    expect((await probe(`${management}/api/v1/health/ready`)).body.reason).toMatch(/^cache: /);
    expect((await probe(`${management}/api/docs`)).status).toBe(200);
    expect((await probe(`${app.url}/api/docs-json`)).body.paths).not.toHaveProperty(['/api/v1/metrics']);
    expect((await probe(`${management}/api/docs-json`)).body.paths).toHaveProperty(['/api/v1/metrics']);
    for (const path of DETAILS_PATHS) {
      expect([path, await statusOf(`${app.url}${path}`)]).toEqual([path, 404]);
      expect([path, await statusOf(`${management}${path}`)]).toEqual([path, 200]);
    }
  });

  it('DOCS_ENABLED=false serves neither Swagger UI nor the document', async () => {
    const app = await start({ DOCS_ENABLED: 'false' });
    expect((await probe(`${app.url}/api/docs`)).status).toBe(404);
    expect((await probe(`${app.url}/api/docs-json`)).status).toBe(404);
    expect((await app.get('/health')).status).toBe(200);
  });

  it('serves the files Swagger UI loads and nothing else of swagger-ui-dist (no source maps)', async () => {
    const app = await start({});
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-init.js', 'favicon-32x32.png']) {
      expect([file, (await fetch(`${app.url}/api/docs/${file}`)).status]).toEqual([file, 200]);
    }
    for (const file of ['swagger-ui-bundle.js.map', 'swagger-ui.css.map', 'package.json', 'README.md', 'index.js']) {
      expect([file, (await fetch(`${app.url}/api/docs/${file}`)).status]).toEqual([file, 404]);
    }
  });
});
