import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { freePort } from './support/ports';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- an OpenAPI document

const TOKEN = 'test-token-0123456789abcdef';
const BEARER = { authorization: `Bearer ${TOKEN}` };
/** Values that appear nowhere else, so finding one in a document can only mean it came from this instance. */
const VERSION = '4.5.6-tier';
const DB_TIMEOUT_MS = '1987';

/** Every route of the full document; the public one has the first three, and the badges unless the tier is never. */
const PUBLIC_PATHS = ['/api/v1/health', '/api/v1/health/live', '/api/v1/health/ready'];
const BADGE_PATHS = ['/api/v1/health/badge.svg', '/api/v1/health/badge/uptime.svg'];
const DETAIL_PATHS = [
  '/api/v1/health/plugins',
  '/api/v1/health/plugins/{id}',
  '/api/v1/health/history',
  '/api/v1/health/events',
  '/api/v1/metrics',
  // Not a detail, but behind the token under every tier: documented where the full document is.
  '/api/v1/health/maintenance',
];
/** The schemas a caller without details may see: the probes' answers, the status-only report, the 406. */
const PUBLIC_SCHEMAS = ['HealthJsonStatusOnly', 'HealthStatusOnly', 'LivenessDto', 'NotAcceptableDto', 'ReadinessDto'];

/** The document in its three forms: the JSON, the YAML, and Swagger UI's init script that embeds it. */
async function documentForms(base: string, headers: Record<string, string>) {
  const text = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers });
    expect([path, response.status]).toEqual([path, 200]);
    // Each form depends on the token: no cache may keep one caller's for another.
    expect([path, response.headers.get('vary'), response.headers.get('cache-control')]).toEqual([
      path,
      expect.stringMatching(/authorization/i),
      'no-store',
    ]);
    return response.text();
  };
  const json = await text('/api/docs-json');
  return {
    document: JSON.parse(json) as Json,
    texts: [json, await text('/api/docs-yaml'), await text('/api/docs/swagger-ui-init.js')],
  };
}

/** Holds `base` to serving the full document to a caller with `headers`. */
async function expectFull(base: string, headers: Record<string, string> = {}): Promise<void> {
  const { document, texts } = await documentForms(base, headers);
  expect(document.info.version).toBe(VERSION);
  expect(Object.keys(document.paths).sort()).toEqual([...PUBLIC_PATHS, ...BADGE_PATHS, ...DETAIL_PATHS].sort());
  expect(document.components.schemas).toHaveProperty('PluginDiagnosticsDto');
  for (const text of texts) expect(text).toContain(VERSION);
}

/**
 * Holds `base` to serving the public document to a caller with `headers`: no version, no route or schema that shows
 * details, no check timeout, in every form; the report documented as that caller gets it.
 */
async function expectPublic(
  base: string,
  headers: Record<string, string> = {},
  { badges = true }: { badges?: boolean } = {},
): Promise<void> {
  const { document, texts } = await documentForms(base, headers);
  expect(document.info.version).toBe('v1');
  expect(Object.keys(document.paths).sort()).toEqual([...PUBLIC_PATHS, ...(badges ? BADGE_PATHS : [])].sort());
  // The uptime badge's 400 (a bad window) is the one public use of the bad-request body.
  expect(Object.keys(document.components.schemas).sort()).toEqual(
    [...PUBLIC_SCHEMAS, ...(badges ? ['BadRequestDto'] : [])].sort(),
  );
  expect(document.components.securitySchemes).toBeUndefined();
  const report = document.paths['/api/v1/health'].get.responses;
  expect(report['200'].content['application/json'].examples.degraded.value).toEqual({
    status: 'degraded',
    checks: { database: { status: 'ok' }, cache: { status: 'error' }, plugins: { status: 'ok' } },
  });
  const ready = document.paths['/api/v1/health/ready'].get.responses;
  expect(ready['200'].content['application/json'].examples.degraded.value.reason).toBe('cache failing');
  for (const text of texts) {
    expect(text).not.toContain(VERSION);
    expect(text).not.toContain(DB_TIMEOUT_MS);
    for (const detail of ['PluginDiagnosticsDto', 'HistoryDto', 'HealthReportDto', 'latency_ms', 'health-token']) {
      expect([detail, text.includes(detail)]).toEqual([detail, false]);
    }
  }
}

/**
 * The OpenAPI document follows the details policy of the listener it is asked on, like the report: the full document
 * (with the service's version and every route) to a caller who may see details, the public one to any other. Each
 * tier, with and without a management port, over real sockets.
 */
describe('the API document under each HEALTH_DETAILS tier, on both listeners', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp | undefined;

  beforeAll(async () => {
    deps = await proxyDependencies();
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  afterAll(async () => deps?.close());

  /** The app with `env`; `management` gives it a management listener, whose base URL comes back. */
  async function start(env: Record<string, string>, management = false): Promise<{ main: string; management: string }> {
    const port = management ? await freePort() : undefined;
    service = await startApp({
      ...deps.env,
      APP_VERSION: VERSION,
      HEALTH_DB_TIMEOUT_MS: DB_TIMEOUT_MS,
      ...env,
      ...(port ? { MANAGEMENT_PORT: String(port) } : {}),
    });
    // The first evaluation is over before the test asks anything: closed during it, the app would leave its
    // connections to PostgreSQL and Redis closing after the test. Every tier shows the status.
    await service.until('healthy');
    return { main: service.url, management: `http://127.0.0.1:${port ?? 0}` };
  }

  it('always (the default), one port: the full document to everybody', async () => {
    const { main } = await start({});
    await expectFull(main);
  });

  it('always with a management port: the public document on the main port, the full one on the management port', async () => {
    const { main, management } = await start({}, true);
    await expectPublic(main);
    await expectFull(management);
  });

  it('when-authorized, one port: the full document with the token only', async () => {
    const { main } = await start({ HEALTH_DETAILS: 'when-authorized', HEALTH_TOKEN: TOKEN });
    await expectPublic(main);
    await expectPublic(main, { authorization: 'Bearer wrong-token-0123456789' });
    await expectFull(main, BEARER);
  });

  it('when-authorized with a management port: the full document on the management port with the token only', async () => {
    const { main, management } = await start({ HEALTH_DETAILS: 'when-authorized', HEALTH_TOKEN: TOKEN }, true);
    await expectPublic(main);
    await expectPublic(main, BEARER);
    await expectPublic(management);
    await expectFull(management, BEARER);
  });

  it('never, one port: the public document, token or not', async () => {
    const { main } = await start({ HEALTH_DETAILS: 'never' });
    await expectPublic(main, {}, { badges: false });
    await expectPublic(main, BEARER, { badges: false });
    expect((await fetch(`${main}${BADGE_PATHS[0]}`)).status).toBe(404);
  });

  it('never with a management port: the public document on both', async () => {
    const { main, management } = await start({ HEALTH_DETAILS: 'never' }, true);
    await expectPublic(main, {}, { badges: false });
    await expectPublic(management, BEARER, { badges: false });
  });
});
