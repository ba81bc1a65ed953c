import { RunningApp, startApp } from './support/app';
import { PrivatePostgres } from './support/private-postgres';
import { PrivateRedis } from './support/private-redis';

/**
 * Real server processes of our own (never the machine's shared ones) stopped and started again under a running
 * service: the outage a restart or crash of PostgreSQL or Redis really is, not a simulated one.
 */
describe('private PostgreSQL and Redis stopped and started again', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let service: RunningApp;

  const until = (status: string) => service.until(status, 20_000);

  beforeAll(async () => {
    // Side by side, and each kept as soon as it is up: when one fails to start, afterAll still ends the other.
    const [pg, rd] = await Promise.allSettled([
      PrivatePostgres.create().then((server) => (postgres = server)),
      PrivateRedis.create().then((server) => (redis = server)),
    ]);
    for (const started of [pg, rd]) if (started.status === 'rejected') throw started.reason;
    service = await startApp({ DATABASE_URL: postgres.url, REDIS_URL: redis.url, HEALTH_CACHE_TTL_MS: '0' });
    await until('healthy');
  });
  afterAll(async () => {
    await service?.close();
    await Promise.all([postgres?.destroy(), redis?.destroy()]);
  });

  it('PostgreSQL stopped: 503 unhealthy; started again: healthy without a restart', async () => {
    await postgres.stop();
    const down = await until('unhealthy');
    expect(down.status).toBe(503);
    expect(down.body.checks.database.detail).toMatch(/^database unreachable: /);
    await postgres.start();
    const up = await until('healthy');
    expect(up.status).toBe(200);
  });

  it('Redis stopped: 200 degraded; started again: healthy without a restart', async () => {
    await redis.stop();
    const down = await until('degraded');
    expect(down.status).toBe(200);
    expect(down.body.checks.cache.status).toBe('error');
    await redis.start();
    await until('healthy');
  });

  it('both stopped, then both back', async () => {
    await Promise.all([postgres.stop(), redis.stop()]);
    const down = await until('unhealthy');
    expect(down.body.checks.cache.status).toBe('error');
    await Promise.all([postgres.start(), redis.start()]);
    await until('healthy');
  });
});
