import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { waitFor } from './support/wait';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- an OpenAPI document

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
      ].sort(),
    );
    for (const path of Object.values<Json>(doc.paths)) expect(path.get.summary).toEqual(expect.any(String));
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
      expect(headers.get('content-type')).toMatch(/^application\/health\+json/);
      expect(headers.get('cache-control')).toBe('no-store');
      expect(headers.get('vary')).toBe('Accept');
      expect(body).toMatchObject({ status: 'pass', version: '4.5.6' });
      expect(Object.keys(body.checks)).toEqual(
        expect.arrayContaining(['database:responseTime', 'cache:responseTime', 'plugins:total', 'plugins:runnable']),
      );
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
      const answer = await waitFor(
        async () => {
          const probe = await get();
          return probe.body.status === 'warn' && probe;
        },
        { what: 'warn' },
      );
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

    it('keeps the report JSON as the default', async () => {
      const { headers, body } = await service.get('/health', { accept: '*/*' });
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(body.status).toBe('healthy');
    });
  });
});
