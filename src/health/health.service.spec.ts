import { Logger } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { parseConfig } from '../config/app-config';
import { HealthCheck } from './health-check.registration';
import { HealthService } from './health.service';

/** A fake indicator whose answers the test controls, counting how often it was asked. */
class FakeIndicator {
  calls = 0;
  up = true;
  delayMs = 0;

  async check(key: string): Promise<HealthIndicatorResult> {
    this.calls++;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return {
      [key]: this.up ? { status: 'up', latency_ms: 1 } : { status: 'down', latency_ms: 1, detail: `${key} is down` },
    };
  }
}

function setup(ttl: string) {
  const database = new FakeIndicator();
  const cache = new FakeIndicator();
  const checks: HealthCheck[] = [
    { key: 'database', indicator: database, critical: true },
    { key: 'cache', indicator: cache, critical: false },
  ];
  const service = new HealthService(checks, parseConfig({ HEALTH_CACHE_TTL_MS: ttl, APP_VERSION: '9.9.9' }));
  return { service, database, cache };
}

describe('HealthService', () => {
  let logs: { log: jest.SpyInstance; warn: jest.SpyInstance; error: jest.SpyInstance };

  beforeEach(() => {
    logs = {
      log: jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined),
      warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
      error: jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
    };
  });
  afterEach(() => jest.restoreAllMocks());

  it('builds the SPEC report with version, uptime and checks, and serialises it once', async () => {
    const { service } = setup('1000');
    const snapshot = await service.snapshot();
    expect(snapshot.report).toEqual({
      status: 'healthy',
      version: '9.9.9',
      uptime_seconds: expect.any(Number),
      checks: {
        database: { status: 'ok', latency_ms: 1, detail: null },
        cache: { status: 'ok', latency_ms: 1, detail: null },
      },
    });
    expect(Number.isInteger(snapshot.report.uptime_seconds)).toBe(true);
    expect(JSON.parse(snapshot.body)).toEqual(snapshot.report);
    expect(snapshot.httpStatus).toBe(200);
  });

  it('shares one in-flight evaluation between concurrent callers', async () => {
    const { service, database, cache } = setup('0');
    database.delayMs = 50;
    const snapshots = await Promise.all(Array.from({ length: 100 }, () => service.snapshot()));
    expect(database.calls).toBe(1);
    expect(cache.calls).toBe(1);
    expect(new Set(snapshots).size).toBe(1);
  });

  it('reuses a finished report for the TTL, then probes again', async () => {
    const { service, database } = setup('300');
    await service.snapshot();
    await service.snapshot();
    expect(database.calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await service.snapshot();
    expect(database.calls).toBe(2);
  });

  it('with TTL 0 probes on every sequential call', async () => {
    const { service, database } = setup('0');
    await service.snapshot();
    await service.snapshot();
    await service.snapshot();
    expect(database.calls).toBe(3);
  });

  it('answers 503 unhealthy when the database is down and 200 degraded when the cache is', async () => {
    const { service, database, cache } = setup('0');
    database.up = false;
    expect((await service.snapshot()).httpStatus).toBe(503);
    expect((await service.snapshot()).report.status).toBe('unhealthy');
    database.up = true;
    cache.up = false;
    const degraded = await service.snapshot();
    expect(degraded.httpStatus).toBe(200);
    expect(degraded.report.status).toBe('degraded');
    expect(degraded.report.checks.cache).toEqual({ status: 'error', latency_ms: 1, detail: 'cache is down' });
  });

  it('logs each transition once: degraded as a warning, unhealthy as an error, recovery as info', async () => {
    const { service, database, cache } = setup('0');
    await service.snapshot();
    expect(logs.log).toHaveBeenCalledTimes(1);

    cache.up = false;
    await service.snapshot();
    await service.snapshot();
    expect(logs.warn).toHaveBeenCalledTimes(1);
    expect(logs.warn.mock.calls[0][0]).toContain('degraded');
    expect(logs.warn.mock.calls[0][0]).toContain('cache: cache is down');

    database.up = false;
    await service.snapshot();
    await service.snapshot();
    expect(logs.error).toHaveBeenCalledTimes(1);
    expect(logs.error.mock.calls[0][0]).toContain('unhealthy (was degraded)');

    database.up = true;
    cache.up = true;
    await service.snapshot();
    await service.snapshot();
    expect(logs.log).toHaveBeenCalledTimes(2);
    expect(logs.log.mock.calls[1][0]).toContain('healthy again (was unhealthy)');
    expect(logs.warn).toHaveBeenCalledTimes(1);
    expect(logs.error).toHaveBeenCalledTimes(1);
  });

  it('tells listeners about each evaluation and keeps the latest for peek()', async () => {
    const { service } = setup('0');
    const seen: string[] = [];
    service.onEvaluation((snapshot) => seen.push(snapshot.report.status));
    expect(service.peek()).toBeUndefined();
    const snapshot = await service.snapshot();
    await service.snapshot();
    expect(seen).toEqual(['healthy', 'healthy']);
    expect(service.peek()).not.toBe(snapshot);
  });
});
