import { RunningApp, startApp } from './support/app';
import { ChildApp } from './support/child-app';
import { PrivateRedis } from './support/private-redis';
import { waitFor } from './support/wait';

/**
 * A Redis database the server does not have (`redis://…/9` against `databases 2`): ioredis reports the refused
 * `SELECT` only as an error event and then answers `PING` on database 0. The report must say what is wrong, and the
 * process must live through every reconnect: Redis is not critical, so it must never crash-loop the service.
 */
describe('Redis database checked against the server', () => {
  let redis: PrivateRedis;
  let service: RunningApp | undefined;
  let child: ChildApp | undefined;

  beforeAll(async () => {
    redis = await PrivateRedis.create(['--databases', '2']);
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
    await child?.stop();
    child = undefined;
    if (redis.extraArgs.includes('16')) {
      redis.extraArgs = ['--databases', '2'];
      await redis.stop();
    }
    await redis.start();
  });
  afterAll(async () => redis?.destroy());

  it('reports the missing database instead of healthy, and recovers once the server has it', async () => {
    service = await startApp({ REDIS_URL: `${redis.url}/9`, HEALTH_CACHE_TTL_MS: '0' });
    const degraded = await service.until('degraded');
    expect(degraded.body.checks.cache).toMatchObject({
      status: 'error',
      detail: 'redis unreachable: redis database 9 does not exist on the server (SELECT 9 refused)',
    });
    expect(service.logger.find('error', 'redis database 9 does not exist')).toHaveLength(1);

    redis.extraArgs = ['--databases', '16'];
    await redis.stop();
    await redis.start();
    const healthy = await service.until('healthy');
    expect(healthy.body.checks.cache.status).toBe('ok');
  });

  it('the built service lives through Redis restarts with a database it does not have', async () => {
    child = await ChildApp.start({ REDIS_URL: `${redis.url}/9`, HEALTH_CACHE_TTL_MS: '0' });
    await child.until('degraded');
    for (let restart = 0; restart < 2; restart++) {
      await redis.stop();
      await waitFor(
        async () => /not connected|ECONNREFUSED/.test((await child!.get('/health')).body.checks?.cache?.detail ?? ''),
        {
          what: 'the report to see Redis gone',
        },
      );
      await redis.start();
      await waitFor(
        async () => /database 9 does not exist/.test((await child!.get('/health')).body.checks?.cache?.detail ?? ''),
        {
          what: 'the report to see the missing database again',
        },
      );
    }
    expect((await child.get('/health/live')).status).toBe(200);
    expect(child.logs).not.toMatch(/ReplyError|Unhandled|at .*ioredis/);
  });

  it('rediss:// to a server without TLS says TLS, not a bare timeout', async () => {
    service = await startApp({ REDIS_URL: `rediss://127.0.0.1:${redis.port}`, HEALTH_CACHE_TTL_MS: '0' });
    const answer = await waitFor(
      async () => {
        const report = await service!.get('/health');
        return /TLS/.test(report.body.checks?.cache?.detail ?? '') && report;
      },
      { what: 'a cache detail that says TLS', timeoutMs: 15_000 },
    );
    expect(answer.body.checks.cache.detail).toMatch(
      /^redis unreachable: TLS connection failed \(.+\): REDIS_URL asks for TLS; does the server speak it\?/,
    );
    // Every report says so, whether it caught the client reconnecting or waiting on a handshake that then failed.
    for (let i = 0; i < 8; i++) {
      const detail = String((await service.get('/health')).body.checks.cache.detail);
      expect(detail).toMatch(/TLS/);
    }
  });
});
