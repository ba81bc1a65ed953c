import { getRedisConnectionToken } from '@nestjs-modules/ioredis';
import autocannon from 'autocannon';
import type Redis from 'ioredis';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { DatabaseProbe } from '../src/database/database.probe';
import { poolOf } from '../src/database/pg-internals';
import { RunningApp, startApp } from './support/app';
import { ChildApp } from './support/child-app';
import { ProxiedDependencies, proxyDependencies, SHORT_TIMEOUTS } from './support/dependencies';
import { waitFor } from './support/wait';

const POOL_SIZE = 4;

/**
 * Loads `url` with `amount` requests over 32 connections; resolves with autocannon's result. autocannon notices it
 * is done only at a sample tick, so ticks are short: the default 1 s would add up to a second per call.
 */
function hammer(url: string, amount: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon({ url, connections: 32, amount, sampleInt: 100 }, (error, result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
    ),
  );
}

/** Resident memory of a process, from /proc (kB → MB). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '')) / 1024;
}

/**
 * Connections the service holds open on the shared PostgreSQL, as the server sees them: sessions that came through
 * `proxy` (other suites' apps use the same server and application name).
 */
async function serverConnections(proxy: ProxiedDependencies['db']): Promise<number> {
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'secuscan-health' AND client_port = ANY($1)",
      [proxy.upstreamLocalPorts],
    );
    return rows[0].n as number;
  } finally {
    await admin.end();
  }
}

/** Active timers and sockets of a process, as prom-client's default metrics report them. */
async function activeResources(metricsUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const counts: Record<string, number> = {};
  for (const [, type, value] of text.matchAll(/^nodejs_active_resources\{type="(\w+)"[^}]*\} (\d+)$/gm)) {
    counts[type] = Number(value);
  }
  return counts;
}

describe('probe storms and outages', () => {
  let deps: ProxiedDependencies;

  beforeEach(async () => {
    deps = await proxyDependencies();
  });
  afterEach(async () => {
    await deps.close();
  });

  describe('in a child process', () => {
    let service: ChildApp;
    afterEach(() => service.stop());

    it('300 concurrent probes against a blackholed database all get 503 within timeout + 1.5 s; then it heals within its pool', async () => {
      service = await ChildApp.start({
        ...deps.env,
        ...SHORT_TIMEOUTS,
        HEALTH_CACHE_TTL_MS: '0',
        HEALTH_DB_POOL_SIZE: String(POOL_SIZE),
      });
      await waitFor(() => service.get('/health').then((a) => a.status === 200), { what: 'healthy', timeoutMs: 15_000 });
      await deps.db.setMode('blackhole');
      for (let round = 0; round < 2; round++) {
        const answers = await Promise.all(Array.from({ length: 300 }, () => service.get('/health')));
        expect(answers.filter((a) => a.status !== 503)).toEqual([]);
        expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(Number(SHORT_TIMEOUTS.HEALTH_DB_TIMEOUT_MS) + 1500);
        expect(
          answers.every(
            (a) =>
              a.body.checks.database.detail ===
              `database SELECT 1 timed out after ${SHORT_TIMEOUTS.HEALTH_DB_TIMEOUT_MS} ms`,
          ),
        ).toBe(true);
      }
      expect((await service.get('/health/live')).status).toBe(200);

      await deps.db.setMode('pass');
      await waitFor(() => service.get('/health').then((a) => a.status === 200), {
        what: 'healthy again',
        timeoutMs: 15_000,
      });
      const after = await Promise.all(Array.from({ length: 300 }, () => service.get('/health')));
      expect(after.every((a) => a.status === 200)).toBe(true);
      expect(deps.db.openUpstreamConnections).toBeLessThanOrEqual(POOL_SIZE);
      const onServer = await serverConnections(deps.db);
      expect(onServer).toBeGreaterThanOrEqual(1);
      expect(onServer).toBeLessThanOrEqual(POOL_SIZE);
    });

    it('15,000 probes in a row: resident memory settles and no timer or socket accumulates', async () => {
      service = await ChildApp.start(
        { ...deps.env, HEALTH_CACHE_TTL_MS: '0' },
        { nodeArgs: ['--inspect=127.0.0.1:0'] },
      );
      const url = `http://127.0.0.1:${service.port}/api/v1/health`;
      // Resident memory after a full collection: what the service holds, not garbage that a collector slowed by a
      // busy machine has yet to reclaim (without it, runs beside the other suites now and then read 100 MB more).
      const settledRssMb = async () => {
        await service.collectGarbage();
        return rssMb(service.pid);
      };
      const metrics = `http://127.0.0.1:${service.port}/api/v1/metrics`;
      await waitFor(() => service.get('/health').then((a) => a.status === 200), { what: 'healthy', timeoutMs: 15_000 });
      const warm = await hammer(url, 3_000);
      expect(warm.non2xx + warm.errors).toBe(0);
      const rssWarm = await settledRssMb();
      const resourcesWarm = await activeResources(metrics);
      const run = await hammer(url, 12_000);
      expect(run.non2xx + run.errors + run.timeouts).toBe(0);
      expect(run.requests.total).toBeGreaterThanOrEqual(12_000);
      const rssAfter = await settledRssMb();
      const resourcesAfter = await activeResources(metrics);
      expect(rssAfter - rssWarm).toBeLessThan(8);
      expect(resourcesAfter.Timeout ?? 0).toBeLessThanOrEqual((resourcesWarm.Timeout ?? 0) + 2);
      expect(resourcesAfter.TCPSocketWrap ?? 0).toBeLessThanOrEqual((resourcesWarm.TCPSocketWrap ?? 0) + 2);
      expect(deps.db.openUpstreamConnections).toBeLessThanOrEqual(4);
      expect(deps.cache.openUpstreamConnections).toBe(1);
    });
  });

  describe('in process', () => {
    let service: RunningApp;
    afterEach(() => service.close());

    it('probes through outages leave no listener, pool client or timer behind', async () => {
      service = await startApp({ ...deps.env, ...SHORT_TIMEOUTS, HEALTH_CACHE_TTL_MS: '0' });
      const redis = service.app.get<Redis>(getRedisConnectionToken());
      const url = `${service.url}/api/v1/health`;
      const healthy = () => service.until('healthy');
      await healthy();
      const pool = poolOf(await service.app.get(DatabaseProbe).load())!;
      const listeners = () =>
        redis
          .eventNames()
          .map((name) => `${String(name)}:${redis.listenerCount(name)}`)
          .sort();
      const before = listeners();
      const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

      await hammer(url, 500);
      await deps.cache.setMode('blackhole'); // PING timeouts, dropped connections, handshakes that never finish
      for (let i = 0; i < 5; i++) await service.get();
      await deps.db.setMode('blackhole'); // SELECT 1 timeouts: clients destroyed and dropped from the pool
      for (let i = 0; i < 3; i++) await service.get();
      await deps.cache.setMode('pass');
      await deps.db.setMode('pass');
      await healthy();
      await hammer(url, 500);

      expect(listeners()).toEqual(before);
      expect(pool.totalCount).toBeLessThanOrEqual(POOL_SIZE);
      expect(pool.waitingCount).toBe(0);
      const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      expect(timersAfter).toBeLessThanOrEqual(timersBefore + 2);
    });

    it('a database answering in 0.6 s under load does not queue work: callers share one evaluation', async () => {
      // The default 2 s database timeout, well above the latency: every evaluation succeeds, only slowly.
      const latencyMs = 600;
      const soakMs = 3 * latencyMs;
      service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' });
      await service.until('healthy');
      const evaluations = async () => {
        const text = await (await fetch(`${service.url}/api/v1/metrics`)).text();
        return [...text.matchAll(/^secuscan_health_evaluations_total\{[^}]*\} (\d+)$/gm)].reduce(
          (n, m) => n + Number(m[1]),
          0,
        );
      };
      const pool = poolOf(await service.app.get(DatabaseProbe).load())!;
      deps.db.setLatency(latencyMs);
      const before = await evaluations();
      const started = performance.now();
      const answers: Array<{ status: number; ms: number; latency: number }> = [];
      // 50 callers asking again as soon as they are answered, for about three evaluations' time.
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (performance.now() - started < soakMs) {
            const answer = await service.get();
            answers.push({ status: answer.status, ms: answer.ms, latency: answer.body.checks.database.latency_ms });
            expect(pool.waitingCount).toBe(0);
          }
        }),
      );
      deps.db.setLatency(0);
      const ran = (await evaluations()) - before;
      expect(answers.length).toBeGreaterThanOrEqual(100);
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(Math.min(...answers.map((a) => a.latency))).toBeGreaterThanOrEqual(latencyMs - 100);
      // One evaluation at a time: about soakMs / latencyMs of them, whatever the number of callers.
      expect(ran).toBeGreaterThanOrEqual(2);
      expect(ran).toBeLessThanOrEqual(soakMs / latencyMs + 2);
      // A caller waits for at most the evaluation in flight plus the one it starts.
      expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(3 * latencyMs + 500);
      expect(pool.totalCount).toBeLessThanOrEqual(2);
    });
  });
});
