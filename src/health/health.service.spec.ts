import { Logger } from '@nestjs/common';
import { settingsFrom } from '../config/settings';
import { HEALTH_SETTINGS } from './health.settings';
import { FakeIndicator } from '../../test/support/fake-indicator';
import { HealthService } from './health.service';

function setup(ttl: string) {
  const database = new FakeIndicator('database', { critical: true });
  const cache = new FakeIndicator('cache');
  const service = new HealthService(
    [database, cache],
    settingsFrom(HEALTH_SETTINGS, { HEALTH_CACHE_TTL_MS: ttl, APP_VERSION: '9.9.9' }),
  );
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

  it('builds the report with version, uptime and checks, and serialises it once', async () => {
    const { service } = setup('1000');
    const snapshot = await service.snapshot();
    expect(snapshot.report).toEqual({
      status: 'healthy',
      version: '9.9.9',
      uptime_seconds: expect.any(Number),
      checks: {
        database: { status: 'ok', latency_ms: expect.any(Number), detail: null },
        cache: { status: 'ok', latency_ms: expect.any(Number), detail: null },
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
    jest.useFakeTimers();
    try {
      const { service, database } = setup('300');
      await service.snapshot();
      await service.snapshot();
      expect(database.calls).toBe(1);
      jest.advanceTimersByTime(299);
      await service.snapshot();
      expect(database.calls).toBe(1);
      jest.advanceTimersByTime(1);
      await service.snapshot();
      expect(database.calls).toBe(2);
    } finally {
      jest.useRealTimers();
    }
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
    database.mode = 'down';
    expect((await service.snapshot()).httpStatus).toBe(503);
    expect((await service.snapshot()).report.status).toBe('unhealthy');
    database.mode = 'up';
    cache.mode = 'down';
    const degraded = await service.snapshot();
    expect(degraded.httpStatus).toBe(200);
    expect(degraded.report.status).toBe('degraded');
    expect(degraded.report.checks.cache).toEqual({
      status: 'error',
      latency_ms: expect.any(Number),
      detail: 'cache is down',
    });
  });

  it('logs each transition once with its fields: overall status, and each check that changed', async () => {
    const { service, database, cache } = setup('0');
    const calls = (spy: jest.SpyInstance) => spy.mock.calls.map(([fields]) => fields as Record<string, unknown>);
    await service.snapshot();
    expect(calls(logs.log)).toEqual([{ message: 'status healthy', status: 'healthy', to: 'healthy' }]);

    cache.mode = 'down';
    await service.snapshot();
    await service.snapshot();
    expect(calls(logs.warn)).toEqual([
      {
        message: 'status degraded (was healthy): cache: cache is down',
        status: 'degraded',
        from: 'healthy',
        to: 'degraded',
        reason: 'cache: cache is down',
      },
      // Not critical: a warning.
      {
        message: 'check cache failed: cache is down',
        check: 'cache',
        status: 'error',
        from: 'ok',
        to: 'error',
        detail: 'cache is down',
      },
    ]);

    database.mode = 'down';
    await service.snapshot();
    await service.snapshot();
    expect(calls(logs.error)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('unhealthy (was degraded)'), from: 'degraded' }),
      expect.objectContaining({ check: 'database', status: 'error', from: 'ok', to: 'error' }),
    ]);

    database.mode = 'up';
    cache.mode = 'up';
    await service.snapshot();
    await service.snapshot();
    expect(calls(logs.log).slice(1)).toEqual([
      { message: 'status healthy again (was unhealthy)', status: 'healthy', from: 'unhealthy', to: 'healthy' },
      { message: 'check database ok again', check: 'database', status: 'ok', from: 'error', to: 'ok' },
      { message: 'check cache ok again', check: 'cache', status: 'ok', from: 'error', to: 'ok' },
    ]);
    expect(logs.warn).toHaveBeenCalledTimes(2);
    expect(logs.error).toHaveBeenCalledTimes(2);
  });

  it('logs the failing checks of the first evaluation, without a "from"', async () => {
    const { service, cache } = setup('0');
    cache.mode = 'down';
    await service.snapshot();
    expect(logs.warn.mock.calls.map(([fields]) => fields as unknown)).toEqual([
      expect.objectContaining({ status: 'degraded', to: 'degraded' }),
      {
        message: 'check cache failed: cache is down',
        check: 'cache',
        status: 'error',
        to: 'error',
        detail: 'cache is down',
      },
    ]);
    expect(logs.log).not.toHaveBeenCalled();
  });

  it('publishes each evaluation on evaluations$ and keeps the latest', async () => {
    const { service } = setup('0');
    const seen: string[] = [];
    service.evaluations$.subscribe((snapshot) => seen.push(snapshot.report.status));
    expect(service.latest).toBeUndefined();
    const snapshot = await service.snapshot();
    const second = await service.snapshot();
    expect(seen).toEqual(['healthy', 'healthy']);
    expect(service.latest).not.toBe(snapshot);
    expect(service.latest).toBe(second);
  });

  it('completes evaluations$ at shutdown, ending every subscription', async () => {
    const { service } = setup('0');
    const seen: string[] = [];
    let completed = false;
    const subscription = service.evaluations$.subscribe({
      next: (snapshot) => seen.push(snapshot.report.status),
      complete: () => (completed = true),
    });
    await service.snapshot();
    service.onApplicationShutdown();
    expect(completed).toBe(true);
    expect(subscription.closed).toBe(true);
    await service.snapshot();
    expect(seen).toEqual(['healthy']);
  });
});
