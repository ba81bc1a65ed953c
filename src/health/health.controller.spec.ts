import { Logger } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { DetailsAccess } from '../access/details-access.service';
import { parseAppConfig } from '../app.composition';
import { CacheIndicator } from '../cache/cache.health';
import { CacheProbe } from '../cache/cache.probe';
import { ClusterProbe } from '../cache/cluster.probe';
import { SentinelProbe } from '../cache/sentinel.probe';
import { ManagementListener } from '../http/management-listener';
import { DatabaseIndicator } from '../database/database.health';
import { DatabaseProbe } from '../database/database.probe';
import { postgresEndpoints, type PostgresEndpoint } from '../database/postgres-url';
import { ReadOnlyStandbyError } from '../database/primary-locator';
import { PluginIndicator } from '../plugins/plugin.health';
import type { EvaluatedPlugin, PluginEvaluation } from '../plugins/plugin-evaluation';
import { PluginRegistry } from '../plugins/plugin-registry';
import { provideHealthIndicators } from './health-indicators.provider';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { ReadinessService } from './readiness.service';

/**
 * The four states of the report (healthy, degraded by the cache, degraded by the plugins, unhealthy), end to end
 * through Fastify, with the real indicators, status rules and controller over fake probes. The same cases run against
 * real servers in test/.
 */
describe('GET /health over fake dependencies', () => {
  let app: NestFastifyApplication;
  const database = { ping: jest.fn<Promise<PostgresEndpoint>, [AbortSignal]>() };
  const primary = postgresEndpoints('DATABASE_URL', 'postgres://app@10.0.0.5:5432/app')[0];
  const cache = { ping: jest.fn<Promise<void>, [AbortSignal]>() };
  const plugins = { evaluate: jest.fn<Promise<PluginEvaluation>, []>() };
  const plugin = (id: string, state: EvaluatedPlugin['state']): EvaluatedPlugin => ({
    folder: id,
    manifest: { id, name: id, engine: { type: 'cli', binary: id } },
    state,
    missing: state === 'blocked' ? [{ kind: 'binary', name: id }] : [],
    unverified: [],
  });
  const checkedAt = new Date();

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const moduleRef = await Test.createTestingModule({
      controllers: [HealthController],
      providers: [
        HealthService,
        ReadinessService,
        HealthIndicatorService,
        DetailsAccess,
        ManagementListener,
        ...[
          ...parseAppConfig({
            HEALTH_CACHE_TTL_MS: '0',
            HEALTH_DB_TIMEOUT_MS: '60',
            HEALTH_CACHE_TIMEOUT_MS: '40',
            APP_VERSION: '1.2.3',
          }).entries(),
        ].map(([group, values]) => ({ provide: group.token, useValue: values })),
        { provide: DatabaseProbe, useValue: database },
        { provide: CacheProbe, useValue: cache },
        // One Redis server (REDIS_URL's default): the cache check asks no sentinel and no cluster.
        { provide: SentinelProbe, useValue: {} },
        { provide: ClusterProbe, useValue: {} },
        { provide: PluginRegistry, useValue: plugins },
        ...provideHealthIndicators(
          [DatabaseIndicator, CacheIndicator, PluginIndicator].map((indicator) => ({ indicator })),
        ),
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    database.ping.mockResolvedValue(primary);
    cache.ping.mockResolvedValue(undefined);
    plugins.evaluate.mockResolvedValue({
      loaded: true,
      dir: '/plugins',
      plugins: [
        ...Array.from({ length: 10 }, (_, i) => plugin(`p${i}`, 'runnable')),
        plugin('x', 'blocked'),
        plugin('y', 'disabled'),
      ],
      invalid: [{ folder: 'broken', reason: 'metadata.json is not valid JSON' }],
      checkedAt,
    });
  });

  const get = async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    return { code: response.statusCode, headers: response.headers, body: response.json() };
  };

  it('all healthy: 200 with every check ok', async () => {
    const { code, headers, body } = await get();
    expect(code).toBe(200);
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(headers['cache-control']).toBe('no-store');
    expect(body).toEqual({
      status: 'healthy',
      version: '1.2.3',
      uptime_seconds: expect.any(Number),
      checks: {
        database: { status: 'ok', host: '10.0.0.5:5432', latency_ms: expect.any(Number), detail: null },
        cache: { status: 'ok', latency_ms: expect.any(Number), detail: null },
        plugins: {
          status: 'ok',
          total: 12,
          runnable: 10,
          blocked: 1,
          disabled: 1,
          invalid: 1,
          latency_ms: expect.any(Number),
          detail: null,
        },
      },
    });
  });

  it('database down: 503 unhealthy', async () => {
    database.ping.mockRejectedValue(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    );
    const { code, body } = await get();
    expect(code).toBe(503);
    expect(body.status).toBe('unhealthy');
    expect(body.checks.database).toEqual({
      status: 'error',
      latency_ms: expect.any(Number),
      detail: 'database unreachable: connect ECONNREFUSED 127.0.0.1:5432',
    });
  });

  it('database timed out: 503, the detail says after how long, and the probe is told to stop', async () => {
    database.ping.mockImplementation(() => new Promise<never>(() => undefined));
    const { code, body } = await get();
    expect(code).toBe(503);
    expect(body.checks.database.detail).toBe('database SELECT 1 timed out after 60 ms');
    expect(database.ping.mock.lastCall?.[0].aborted).toBe(true);
  });

  it('database a read-only standby: 503 unhealthy, in its own words rather than "unreachable"', async () => {
    database.ping.mockRejectedValue(
      new ReadOnlyStandbyError('connected to a read-only standby: 10.0.0.5:5432 is in recovery'),
    );
    const { code, body } = await get();
    expect(code).toBe(503);
    expect(body.status).toBe('unhealthy');
    expect(body.checks.database).toEqual({
      status: 'error',
      latency_ms: expect.any(Number),
      detail: 'connected to a read-only standby: 10.0.0.5:5432 is in recovery',
    });
  });

  it('cache down: 200 degraded with checks.cache.status error', async () => {
    cache.ping.mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:6379; not connected (reconnecting)'));
    const { code, body } = await get();
    expect(code).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.checks.cache.status).toBe('error');
    expect(body.checks.cache.detail).toContain('redis unreachable');
    expect(body.checks.database.status).toBe('ok');
  });

  it('plugin registry error: 200 degraded', async () => {
    plugins.evaluate.mockResolvedValue({
      loaded: false,
      error: 'plugin registry failed to load: ENOENT /nope',
      checkedAt,
    });
    const { code, body } = await get();
    expect(code).toBe(200);
    expect(body.status).toBe('degraded');
    // The five counts stay, at 0: the report's shape never changes with the state.
    expect(body.checks.plugins).toEqual({
      status: 'error',
      total: 0,
      runnable: 0,
      blocked: 0,
      disabled: 0,
      invalid: 0,
      latency_ms: expect.any(Number),
      detail: 'plugin registry failed to load: ENOENT /nope',
    });
  });

  it('an indicator that throws synchronously still gives 503, not 500', async () => {
    database.ping.mockImplementation(() => {
      throw new Error('driver bug');
    });
    const { code, body } = await get();
    expect(code).toBe(503);
    expect(body.checks.database.detail).toBe('database unreachable: driver bug');
  });

  it('liveness answers 200 without touching any dependency', async () => {
    database.ping.mockClear();
    cache.ping.mockClear();
    plugins.evaluate.mockClear();
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(database.ping).not.toHaveBeenCalled();
    expect(cache.ping).not.toHaveBeenCalled();
    expect(plugins.evaluate).not.toHaveBeenCalled();
  });

  it('readiness answers 200 when degraded and 503 when unhealthy', async () => {
    cache.ping.mockRejectedValue(new Error('refused'));
    const degraded = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(degraded.statusCode).toBe(200);
    expect(degraded.json()).toMatchObject({ ready: true, status: 'degraded' });
    database.ping.mockRejectedValue(new Error('refused'));
    const unhealthy = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(unhealthy.statusCode).toBe(503);
    expect(unhealthy.json()).toMatchObject({ ready: false, status: 'unhealthy' });
  });

  it('bounds each probe by its own configured timeout', async () => {
    database.ping.mockImplementation(() => new Promise<never>(() => undefined));
    cache.ping.mockImplementation(() => new Promise<never>(() => undefined));
    const { body } = await get();
    expect(body.checks.database.detail).toBe('database SELECT 1 timed out after 60 ms');
    expect(body.checks.cache.detail).toBe('redis PING timed out after 40 ms');
    expect(database.ping.mock.lastCall?.[0].aborted).toBe(true);
    expect(cache.ping.mock.lastCall?.[0].aborted).toBe(true);
  });

  it('never leaks a password from a driver error', async () => {
    database.ping.mockRejectedValue(new Error('password authentication failed for postgres://app:s3cr3t@db:5432/x'));
    const { body } = await get();
    expect(JSON.stringify(body)).not.toContain('s3cr3t');
  });
});
