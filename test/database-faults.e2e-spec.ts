import type { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { DatabaseProbe } from '../src/database/database.probe';
import { poolOf } from '../src/database/pg-internals';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies, SHORT_TIMEOUTS } from './support/dependencies';
import { waitFor } from './support/wait';

const POOL_SIZE = 4;
const TIMEOUT_MS = Number(SHORT_TIMEOUTS.HEALTH_DB_TIMEOUT_MS);

/** PostgreSQL refusing, hanging and coming back, through a fault proxy in front of the machine's real server. */
describe('database faults', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;
  let dataSource: DataSource;

  const pool = (): Pool => {
    const current = poolOf(dataSource);
    if (!current) throw new Error('the database pool is not created yet');
    return current;
  };
  const healthy = () => service.until('healthy');

  beforeAll(async () => {
    deps = await proxyDependencies();
    service = await startApp({
      ...deps.env,
      ...SHORT_TIMEOUTS,
      HEALTH_CACHE_TTL_MS: '0',
      HEALTH_DB_POOL_SIZE: String(POOL_SIZE),
    });
    await healthy();
    dataSource = await service.app.get(DatabaseProbe).load();
  });
  afterAll(async () => {
    await service.close();
    await deps.close();
  });
  afterEach(async () => {
    await deps.db.setMode('pass');
    await healthy();
  });

  it('refused: 503 unhealthy at once, with a connection detail', async () => {
    await deps.db.setMode('refuse');
    const { status, body, ms, headers } = await service.get();
    expect(status).toBe(503);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('cache-control')).toBe('no-store');
    const ready = await service.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/json/);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(body.status).toBe('unhealthy');
    expect(body.checks.database.status).toBe('error');
    expect(body.checks.database.detail).toMatch(/^database unreachable: .*(ECONNREFUSED|terminated|ended|closed)/i);
    expect(body.checks.cache.status).toBe('ok');
    expect(ms).toBeLessThan(1000);
  });

  it('blackholed: 503 after the timeout, saying it timed out, and the socket is freed', async () => {
    const before = deps.db.openConnections;
    await deps.db.setMode('blackhole');
    const { status, body, ms } = await service.get();
    expect(status).toBe(503);
    expect(body.checks.database.detail).toBe(`database SELECT 1 timed out after ${TIMEOUT_MS} ms`);
    expect(body.checks.database.latency_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
    // The probe's connection was destroyed at the timeout, not left waiting on the hung server.
    expect(before).toBeGreaterThanOrEqual(1);
    expect(deps.db.openConnections).toBe(before - 1);
    expect(pool().totalCount).toBe(before - 1);
  });

  it('recovers without a restart when the database comes back', async () => {
    await deps.db.setMode('blackhole');
    expect((await service.get()).status).toBe(503);
    await deps.db.setMode('pass');
    const answer = await waitFor(
      async () => {
        const probe = await service.get();
        return probe.status === 200 && probe;
      },
      { what: '200 after recovery', timeoutMs: 10_000 },
    );
    expect(answer.body.checks.database).toEqual({
      status: 'ok',
      host: `127.0.0.1:${deps.db.port}`,
      latency_ms: expect.any(Number),
      detail: null,
    });
  });

  it('a storm of probes against a hung database leaks no pool slot or connection', async () => {
    await deps.db.setMode('blackhole');
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(Array.from({ length: 100 }, () => service.get()));
      expect(answers.every((a) => a.status === 503)).toBe(true);
    }
    expect(pool().totalCount).toBeLessThanOrEqual(POOL_SIZE);
    expect(pool().waitingCount).toBe(0);
    expect(deps.db.openConnections).toBeLessThanOrEqual(POOL_SIZE);
    await deps.db.setMode('pass');
    await healthy();
    const afterStorm = await Promise.all(Array.from({ length: 200 }, () => service.get()));
    expect(afterStorm.every((a) => a.status === 200)).toBe(true);
    expect(pool().totalCount).toBeLessThanOrEqual(POOL_SIZE);
    expect(pool().waitingCount).toBe(0);
    expect(deps.db.openConnections).toBeLessThanOrEqual(POOL_SIZE);
  });

  it('connections dropped under it: the next reports say so, then heal by themselves', async () => {
    deps.db.resetConnections();
    await healthy();
    expect((await service.get()).status).toBe(200);
  });

  it('logs the transition to unhealthy once, as an error, and the recovery once', async () => {
    const errorsBefore = service.logger.find('error', 'status unhealthy').length;
    const recoveriesBefore = service.logger.find('log', 'healthy again').length;
    await deps.db.setMode('refuse');
    for (let i = 0; i < 5; i++) await service.get();
    expect(service.logger.find('error', 'status unhealthy').length).toBe(errorsBefore + 1);
    await deps.db.setMode('pass');
    await healthy();
    await service.get();
    expect(service.logger.find('log', 'healthy again').length).toBe(recoveriesBefore + 1);
  });
});
