import { SwaggerModule } from '@nestjs/swagger';
import { request } from 'node:http';
import { buildOpenApiDocument } from '../src/docs/swagger';
import { probe, RunningApp, startApp, untilStatus } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- an OpenAPI document

/** GET the health+json report with a `Host` header of our choosing (fetch always sends the real one). */
function healthJsonWithHost(port: string, host: string, headers: Record<string, string>): Promise<Json> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/health',
        headers: { host, accept: 'application/health+json', ...headers },
        setHost: false,
        timeout: 5000,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(text) as Json));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The OpenAPI document and the health+json representation, from the running app. */
describe('OpenAPI document and content negotiation', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;
  let doc: Json;

  beforeAll(async () => {
    deps = await proxyDependencies();
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0', APP_VERSION: '4.5.6' });
    doc = (await (await fetch(`${service.url}/api/docs-json`)).json()) as Json;
  });
  afterAll(async () => {
    await service.close();
    await deps.close();
  });

  it('serves Swagger UI at /api/docs', async () => {
    const response = await fetch(`${service.url}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('swagger-ui');
  });

  it('takes its title, version and description from the app', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: 'SecuScan health service', version: '4.5.6' });
    expect(doc.info.description).toContain('degraded');
  });

  it('documents every route', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/health',
        '/api/v1/health/live',
        '/api/v1/health/plugins',
        '/api/v1/health/plugins/{id}',
        '/api/v1/health/ready',
        '/api/v1/metrics',
        '/api/v1/health/history',
        '/api/v1/health/events',
        '/api/v1/health/badge.svg',
        '/api/v1/health/badge/uptime.svg',
        '/api/v1/health/maintenance',
      ].sort(),
    );
    for (const path of Object.values<Json>(doc.paths)) expect(path.get.summary).toEqual(expect.any(String));
  });

  it('puts the bearer scheme only on the routes that can require the token, and claims no JWT', () => {
    const secured = Object.entries<Json>(doc.paths)
      .filter(([, path]) => ((path.get.security ?? []) as Json[]).some((requirement) => 'health-token' in requirement))
      .map(([route]) => route)
      .sort();
    // The details routes: 401 without the token under HEALTH_DETAILS=when-authorized; maintenance windows: always.
    // The report, liveness and readiness answer 200 or 503 without one, whatever HEALTH_DETAILS says.
    expect(secured).toEqual(
      [
        '/api/v1/health/plugins',
        '/api/v1/health/plugins/{id}',
        '/api/v1/metrics',
        '/api/v1/health/history',
        '/api/v1/health/events',
        '/api/v1/health/maintenance',
      ].sort(),
    );
    for (const route of secured) expect(doc.paths[route].get.responses['401']).toBeDefined();
    expect(doc.components.securitySchemes['health-token']).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(doc.components.securitySchemes['health-token'].bearerFormat).toBeUndefined();
  });

  it('documents the history and the event stream, with examples', () => {
    const history = doc.paths['/api/v1/health/history'].get;
    expect(history.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/HistoryDto',
    });
    const { HistoryDto, TransitionDto } = doc.components.schemas;
    expect(HistoryDto.properties.transitions).toMatchObject({ type: 'array', items: { $ref: expect.any(String) } });
    expect(HistoryDto.properties.series.example.database[0]).toEqual([expect.any(Number), expect.any(Number), 'ok']);
    expect(TransitionDto.properties.to).toMatchObject({ enum: ['healthy', 'degraded', 'unhealthy'] });
    expect(TransitionDto.properties.from).toMatchObject({ nullable: true });
    const events = doc.paths['/api/v1/health/events'].get;
    expect(events.responses['200'].content['text/event-stream'].example).toContain('event: transition');
    expect(events.responses['503'].content['application/json'].example).toEqual({ reason: expect.any(String) });
    expect(events.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Last-Event-ID' })]));
  });

  it('documents the maintenance routes: each method behind the token, their bodies, and the report key', () => {
    const routes = doc.paths['/api/v1/health/maintenance'];
    expect(Object.keys(routes).sort()).toEqual(['delete', 'get', 'post']);
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    for (const method of ['get', 'post', 'delete']) {
      const { security, responses } = routes[method];
      expect(security).toEqual([{ 'health-token': [] }]);
      expect(responses['200'].content['application/json'].schema).toEqual(ref('MaintenanceWindowDto'));
      for (const code of ['401', '403']) {
        expect(responses[code].content['application/json'].schema).toEqual(ref('HttpErrorDto'));
      }
    }
    for (const method of ['get', 'delete']) {
      expect(routes[method].responses['404'].content['application/json'].schema).toEqual(ref('HttpErrorDto'));
    }
    const start = routes.post;
    expect(start.requestBody.content['application/json'].schema).toEqual(ref('StartMaintenanceDto'));
    expect(start.responses['400'].content['application/json'].schema).toEqual(ref('BadRequestDto'));
    expect(start.responses['413']).toBeDefined();
    const { StartMaintenanceDto, MaintenanceWindowDto, HealthReportDto } = doc.components.schemas;
    expect(StartMaintenanceDto.properties.minutes).toMatchObject({ type: 'integer', minimum: 1, maximum: 10080 });
    expect(StartMaintenanceDto.properties.reason).toMatchObject({ maxLength: 200 });
    expect(Object.keys(MaintenanceWindowDto.properties)).toEqual(['since', 'until', 'reason', 'persisted']);
    expect(HealthReportDto.properties.maintenance).toMatchObject({
      type: 'object',
      required: ['until', 'reason'],
      properties: { until: { format: 'date-time' }, reason: { nullable: true } },
    });
    expect(HealthReportDto.required).not.toContain('maintenance');
  });

  it('documents the plugin diagnostics with DTO schemas, named examples and the 404', () => {
    const list = doc.paths['/api/v1/health/plugins'].get.responses['200'].content['application/json'];
    expect(list.schema).toEqual({ $ref: '#/components/schemas/PluginDiagnosticsDto' });
    expect(Object.keys(list.examples)).toEqual(['some_runnable', 'nothing_runnable']);
    expect(list.examples.nothing_runnable.value.error).toMatch(/^0 of 3 plugins runnable; missing nmap/);
    const one = doc.paths['/api/v1/health/plugins/{id}'].get;
    expect(one.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/PluginDetailDto',
    });
    expect(one.responses['404'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/PluginNotFoundDto',
    });
    const { PluginDiagnosticsDto, PluginEntryDto, MissingItemDto } = doc.components.schemas;
    expect(Object.keys(PluginDiagnosticsDto.properties)).toEqual(
      expect.arrayContaining(['total', 'runnable', 'blocked', 'disabled', 'invalid', 'missing', 'plugins']),
    );
    expect(PluginEntryDto.properties.state.enum).toEqual(['runnable', 'blocked', 'disabled']);
    expect(MissingItemDto.properties.kind.enum).toEqual(['binary', 'python_package', 'system_package']);
  });

  it('documents the report with DTO schemas: every field, its type and enum values', () => {
    const { HealthReportDto, HealthChecks, CheckResultDto } = doc.components.schemas;
    expect(HealthReportDto.properties.status).toMatchObject({ enum: ['healthy', 'degraded', 'unhealthy'] });
    expect(HealthReportDto.properties.version.type).toBe('string');
    expect(HealthReportDto.properties.uptime_seconds.type).toBe('number');
    expect(HealthReportDto.required).toEqual(expect.arrayContaining(['status', 'version', 'uptime_seconds', 'checks']));
    expect(HealthReportDto.properties.checks).toEqual({ $ref: '#/components/schemas/HealthChecks' });
    expect(Object.keys(HealthChecks.properties)).toEqual(['database', 'cache', 'plugins']);
    expect(HealthChecks.required).toEqual(['database', 'cache', 'plugins']);
    for (const check of Object.values<Json>(HealthChecks.properties)) {
      expect(check.allOf[0]).toEqual({ $ref: '#/components/schemas/CheckResultDto' });
      expect(check.description).toMatch(/times out after \d+ ms$/);
    }
    const pluginFields = HealthChecks.properties.plugins.allOf[1].properties;
    expect(CheckResultDto.properties.status).toMatchObject({ enum: ['ok', 'error'] });
    expect(CheckResultDto.properties.detail).toMatchObject({ type: 'string', nullable: true });
    expect(CheckResultDto.properties.latency_ms.type).toBe('number');
    expect(pluginFields.total.type).toBe('integer');
    expect(pluginFields.runnable.type).toBe('integer');
    for (const schema of [HealthReportDto, CheckResultDto, HealthChecks.properties.plugins.allOf[1]]) {
      for (const property of Object.values<Json>(schema.properties)) {
        if (!property.$ref && !property.allOf) expect(property.description).toEqual(expect.any(String));
      }
    }
  });

  it('names a healthy and a degraded example for 200 and an unhealthy one for 503, in both media types', () => {
    const responses = doc.paths['/api/v1/health'].get.responses;
    const json200 = responses['200'].content['application/json'];
    expect(json200.schema.$ref).toBe('#/components/schemas/HealthReportDto');
    expect(Object.keys(json200.examples)).toEqual(['healthy', 'degraded']);
    expect(json200.examples.healthy.value.status).toBe('healthy');
    expect(json200.examples.degraded.value.status).toBe('degraded');
    expect(responses['503'].content['application/json'].examples.unhealthy.value.status).toBe('unhealthy');
    const healthJson = responses['200'].content['application/health+json'];
    expect(healthJson.schema.$ref).toBe('#/components/schemas/HealthJsonDto');
    expect(healthJson.examples.degraded.value.status).toBe('warn');
    expect(responses['503'].content['application/health+json'].examples.unhealthy.value.status).toBe('fail');
  });

  it('documents readiness (200 and 503 with their states), liveness and metrics', () => {
    const ready = doc.paths['/api/v1/health/ready'].get.responses;
    expect(Object.keys(ready['503'].content['application/json'].examples)).toEqual([
      'unhealthy',
      'starting',
      'shutting_down',
    ]);
    expect(doc.components.schemas.ReadinessDto.properties.status.enum).toEqual(
      expect.arrayContaining(['starting', 'shutting_down']),
    );
    expect(doc.paths['/api/v1/health/live'].get.responses['200']).toBeDefined();
    expect(Object.keys(doc.paths['/api/v1/metrics'].get.responses['200'].content)[0]).toMatch(/^text\/plain/);
  });

  describe('Accept: application/health+json', () => {
    const get = () => service.get('/health', { accept: 'application/health+json' });
    const healthy = () => service.until('healthy');

    afterEach(async () => {
      await deps.db.setMode('pass');
      await deps.cache.setMode('pass');
      await healthy();
    });

    it('answers pass with 200, its own content type, and the draft fields', async () => {
      await healthy();
      const { status, headers, body } = await get();
      expect(status).toBe(200);
      // No charset: the health+json registration defines no parameter.
      expect(headers.get('content-type')).toBe('application/health+json');
      expect(headers.get('cache-control')).toBe('no-store');
      expect(headers.get('vary')).toBe('Accept');
      expect(body).toMatchObject({ status: 'pass', version: '4.5.6' });
      expect(body).not.toHaveProperty('output');
      expect(Object.keys(body.checks)).toEqual(
        expect.arrayContaining(['database:responseTime', 'cache:responseTime', 'plugins:total', 'plugins:runnable']),
      );
      expect(body.checks['plugins:total']).toEqual([
        expect.objectContaining({ observedValue: expect.any(Number), observedUnit: '{plugin}' }),
      ]);
      expect(body.links).toEqual({ about: '/api/docs', self: '/api/v1/health' });
      expect(body.checks['database:responseTime'][0]).toEqual({
        componentType: 'datastore',
        observedValue: expect.any(Number),
        observedUnit: 'ms',
        status: 'pass',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    });

    it('answers warn with 200 when degraded', async () => {
      await deps.cache.setMode('refuse');
      const answer = await untilStatus(get, 'warn');
      expect(answer.status).toBe(200);
      expect(answer.body.checks['cache:responseTime'][0]).toMatchObject({ status: 'fail', output: expect.any(String) });
    });

    it('answers fail with 503 when unhealthy', async () => {
      await deps.db.setMode('refuse');
      const { status, body } = await get();
      expect(status).toBe(503);
      expect(body.status).toBe('fail');
      expect(body.output).toMatch(/^database: database unreachable/);
    });

    it('keeps the report JSON as the default, with no charset either', async () => {
      const { headers, body } = await service.get('/health', { accept: '*/*' });
      expect(headers.get('content-type')).toBe('application/json');
      expect(body.status).toBe('healthy');
    });

    it('links relative to the origin the client used, whatever Host and X-Forwarded-* say', async () => {
      const { port } = new URL(service.url);
      const raw = (host: string, forwarded?: string) =>
        healthJsonWithHost(
          port,
          host,
          forwarded ? { 'x-forwarded-host': forwarded, 'x-forwarded-proto': 'https' } : {},
        );
      for (const answer of [await raw('localhost:8080'), await raw('api', 'evil.example')]) {
        expect(answer.links).toEqual({ about: '/api/docs', self: '/api/v1/health' });
      }
    });
  });

  describe('Accept negotiation (RFC 9110) on every route', () => {
    it.each([
      ['Application/Health+JSON', 'application/health+json'],
      ['application/health+json;q=0, application/json', 'application/json'],
      ['application/health+json;q=0', 'application/json'],
      ['application/health+json;q=0.9, application/json;q=0.5', 'application/health+json'],
      ['application/json;q=0, */*;q=0.1', 'application/health+json'],
      ['application/health+jsonx', 'application/json'],
      ['text/html', 'application/json'],
    ])('report with Accept %j → %s', async (accept, type) => {
      const { status, headers } = await service.get('/health', { accept });
      expect(status).toBe(200);
      expect(headers.get('content-type')).toBe(type);
    });

    it('answers 406 where the document says so, and only when every representation is refused', async () => {
      const documented = Object.entries<Json>(doc.paths).filter(([, path]) => path.get.responses['406']);
      expect(documented.map(([path]) => path).sort()).toEqual(
        ['/api/v1/health', '/api/v1/health/live', '/api/v1/health/ready', '/api/v1/metrics'].sort(),
      );
      for (const [path, item] of documented) {
        const url = `${service.url}${path}`;
        const refused = await probe(url, { accept: 'text/html, */*;q=0' });
        expect({ path, status: refused.status }).toEqual({ path, status: 406 });
        expect(refused.headers.get('content-type')).toBe('application/json');
        expect(refused.body).toMatchObject({ statusCode: 406, error: 'Not Acceptable' });
        expect(item.get.responses['406'].content['application/json'].schema.$ref).toBe(
          '#/components/schemas/NotAcceptableDto',
        );
        // Merely naming other types is not a refusal.
        expect((await probe(url, { accept: 'text/html' })).status).not.toBe(406);
      }
      expect((await service.get('/health/live', { accept: 'application/json;q=0' })).status).toBe(406);
      expect(
        (await service.get('/health', { accept: 'application/json;q=0, application/health+json;q=0' })).status,
      ).toBe(406);
      const prometheus = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
      expect((await service.get('/metrics', { accept: prometheus })).status).toBe(200);
    });
  });
});

/** Scanning the controllers for the document is work no probe needs: it waits for the first request that needs it. */
describe('the OpenAPI document, built when first asked for', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;

  beforeAll(async () => {
    deps = await proxyDependencies();
  });
  afterAll(async () => {
    await service.close();
    await deps.close();
    jest.restoreAllMocks();
  });

  it('is not built at start, by probes or by the Swagger UI page; built once, it is the document of the app', async () => {
    const scans = jest.spyOn(SwaggerModule, 'createDocument');
    service = await startApp({ ...deps.env, APP_VERSION: '4.5.6' });
    await service.until('healthy');
    expect((await service.get('/health/live')).status).toBe(200);
    expect((await service.get('/health/ready')).status).toBe(200);
    expect((await fetch(`${service.url}/api/docs`)).status).toBe(200);
    expect(scans).not.toHaveBeenCalled();

    const served = (await (await fetch(`${service.url}/api/docs-json`)).json()) as Json;
    const init = await fetch(`${service.url}/api/docs/swagger-ui-init.js`);
    expect(await init.text()).toMatch(/"title":\s*"SecuScan health service"/);
    expect((await fetch(`${service.url}/api/docs-json`)).status).toBe(200);
    expect(scans).toHaveBeenCalledTimes(1);
    // The same document as built at start before, with the checks' declarations added.
    const eager = buildOpenApiDocument(service.app);
    expect(served).toEqual(JSON.parse(JSON.stringify(eager)));
  });
});
