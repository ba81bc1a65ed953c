import { getRedisConnectionToken } from '@nestjs-modules/ioredis';
import type Redis from 'ioredis';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies, SHORT_TIMEOUTS } from './support/dependencies';
import { waitFor } from './support/wait';

const TIMEOUT_MS = Number(SHORT_TIMEOUTS.HEALTH_CACHE_TIMEOUT_MS);

/** Redis refusing, hanging and coming back, through a fault proxy in front of the machine's real server. */
describe('cache faults', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;

  const healthy = () => service.until('healthy');

  beforeAll(async () => {
    deps = await proxyDependencies();
    service = await startApp({ ...deps.env, ...SHORT_TIMEOUTS, HEALTH_CACHE_TTL_MS: '0' });
    await healthy();
  });
  afterAll(async () => {
    await service.close();
    await deps.close();
  });
  afterEach(async () => {
    await deps.cache.setMode('pass');
    await healthy();
  });

  it('refused: 200 degraded, failing fast with a connection detail', async () => {
    await deps.cache.setMode('refuse');
    const answer = await service.until('degraded');
    expect(answer.status).toBe(200);
    expect(answer.body.checks.cache.status).toBe('error');
    expect(answer.body.checks.database.status).toBe('ok');
    // Once the client knows it is disconnected, a probe does not wait for a reconnect (no offline queue).
    const next = await service.get();
    expect(next.body.checks.cache.detail).toMatch(/^redis unreachable: .*not connected/);
    expect(next.body.checks.cache.latency_ms).toBeLessThan(TIMEOUT_MS / 2); // far below the timeout
  });

  it('blackholed: degraded after the timeout, saying it timed out', async () => {
    await deps.cache.setMode('blackhole');
    const { status, body, ms } = await service.get();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.checks.cache.detail).toBe(`redis PING timed out after ${TIMEOUT_MS} ms`);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
    // Still hung: every later probe costs at most one timeout, never a hung request.
    const again = await service.get();
    expect(again.body.checks.cache.status).toBe('error');
    expect(again.ms).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it('recovers without a restart when Redis comes back', async () => {
    await deps.cache.setMode('refuse');
    await service.until('degraded');
    await deps.cache.setMode('pass');
    await healthy();
    expect((await service.get()).body.checks.cache).toEqual({
      status: 'ok',
      latency_ms: expect.any(Number),
      detail: null,
    });
  });

  it('a hung Redis holds no connections: the timed-out socket is closed at once and the client reconnects', async () => {
    await deps.cache.setMode('blackhole');
    for (let i = 0; i < 3; i++) {
      const connectionsBefore = deps.cache.totalConnections;
      await service.get();
      // ioredis reconnects only once the old socket has closed. Closed at the timeout, a new connection follows
      // within ~100 ms; only half-closed (FIN sent, ioredis's default for 2 s), it would still wait for the hung side,
      // past this deadline.
      await waitFor(() => deps.cache.totalConnections > connectionsBefore, {
        what: 'a new connection to the hung Redis',
        timeoutMs: 1500,
      });
      expect(deps.cache.openConnections).toBeLessThanOrEqual(1);
    }
  });

  it('logs a lost connection once, not once per reconnect attempt', async () => {
    const before = service.logger.find('warn', 'connection lost').length;
    let attempts = 0;
    const redis = service.app.get<Redis>(getRedisConnectionToken());
    const counted = (): number => attempts++;
    redis.on('reconnecting', counted);
    try {
      await deps.cache.setMode('refuse');
      await waitFor(() => attempts >= 3, { what: 'several reconnect attempts' });
    } finally {
      redis.off('reconnecting', counted);
    }
    expect(service.logger.find('warn', 'connection lost').length).toBe(before + 1);
  });
});
