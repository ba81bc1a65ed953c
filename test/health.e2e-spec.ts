import { Client } from 'pg';
import { RunningApp, startApp } from './support/app';
import { waitFor } from './support/wait';

/** The happy path against the machine's real PostgreSQL and Redis, straight (no proxy). */
describe('GET /api/v1/health with real PostgreSQL and Redis', () => {
  let service: RunningApp;
  let startingAt: number;

  beforeAll(async () => {
    startingAt = performance.now();
    service = await startApp({ APP_VERSION: '7.7.7-test', HEALTH_CACHE_TTL_MS: '0' });
  });
  afterAll(() => service.close());

  it('answers 200 healthy with every check ok', async () => {
    const { status, headers, body } = await service.until('healthy');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({
      status: 'healthy',
      version: '7.7.7-test',
      uptime_seconds: expect.any(Number),
      checks: {
        database: { status: 'ok', host: '127.0.0.1:5432', latency_ms: expect.any(Number), detail: null },
        cache: { status: 'ok', latency_ms: expect.any(Number), detail: null },
        // The test apps' plugins folder: one plugin that needs only sh (the shipped ones: plugin-diagnostics tests).
        plugins: {
          status: 'ok',
          total: 1,
          runnable: 1,
          blocked: 0,
          disabled: 0,
          invalid: 0,
          latency_ms: expect.any(Number),
          detail: null,
        },
      },
    });
  });

  it('counts uptime from the start of the app', async () => {
    const { body } = await waitFor(
      async () => {
        const answer = await service.get();
        return answer.body.uptime_seconds >= 1 && answer;
      },
      { what: 'an uptime of 1 s', timeoutMs: 5000 },
    );
    // Whole seconds since the app was created, never more than the time since this suite began creating it.
    expect(Number.isInteger(body.uptime_seconds)).toBe(true);
    expect(body.uptime_seconds).toBeLessThanOrEqual((performance.now() - startingAt) / 1000);
  });

  it('really runs its query on the PostgreSQL server (seen in pg_stat_activity)', async () => {
    await service.get();
    const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'secuscan-health' " +
          "AND query = 'SELECT 1, pg_is_in_recovery() AS in_recovery'",
      );
      expect(rows[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.end();
    }
  });

  it('answers 404 with JSON for an unknown route under the prefix', async () => {
    const { status, headers, body } = await service.get('/nope');
    expect(status).toBe(404);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toMatchObject({ statusCode: 404, message: expect.stringContaining('/api/v1/nope') });
  });

  it('a missing PLUGINS_DIR degrades the report (200) without stopping the service', async () => {
    const other = await startApp({ PLUGINS_DIR: '/nonexistent/secuscan-plugins', HEALTH_CACHE_TTL_MS: '0' });
    try {
      const { status, body } = await waitFor(
        async () => {
          const answer = await other.get();
          return answer.body.checks.database.status === 'ok' && answer;
        },
        { what: 'database connected' },
      );
      expect(status).toBe(200);
      expect(body.status).toBe('degraded');
      // A folder that could not be read counted nothing: every count is there, at 0, so the shape never changes.
      expect(body.checks.plugins).toEqual({
        status: 'error',
        total: 0,
        runnable: 0,
        blocked: 0,
        disabled: 0,
        invalid: 0,
        latency_ms: expect.any(Number),
        detail: expect.stringContaining('/nonexistent/secuscan-plugins'),
      });
      expect(other.logger.find('error', 'cannot read plugins directory /nonexistent/secuscan-plugins')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
