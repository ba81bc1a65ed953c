import { RunningApp, startApp } from './support/app';
import { ChildApp } from './support/child-app';
import { ProxiedDependencies, proxyDependencies, SHORT_TIMEOUTS } from './support/dependencies';
import { waitFor } from './support/wait';

/**
 * Start-up with dependencies down, probes in parallel, and recovery, through fault proxies. The suite that keeps the
 * default check timeouts (2 s database, 1 s cache) where a test waits on them.
 */
describe('boot and recovery', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp | undefined;

  beforeEach(async () => {
    deps = await proxyDependencies();
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
    await deps.close();
  });

  it('listens within 5 s with PostgreSQL and Redis both down, answers 503, then heals by itself', async () => {
    await deps.db.setMode('refuse');
    await deps.cache.setMode('refuse');
    const start = performance.now();
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' });
    const down = await service.get();
    expect(performance.now() - start).toBeLessThan(5000);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unhealthy');
    expect(down.body.checks.database.status).toBe('error');
    expect(down.body.checks.cache.status).toBe('error');

    await deps.db.setMode('pass');
    await deps.cache.setMode('pass');
    const up = await service.until('healthy');
    expect(up.status).toBe(200);
  });

  it('listens within 5 s with both dependencies hanging at boot, and answers within the timeout', async () => {
    await deps.db.setMode('blackhole');
    await deps.cache.setMode('blackhole');
    const start = performance.now();
    service = await startApp({ ...deps.env, ...SHORT_TIMEOUTS, HEALTH_CACHE_TTL_MS: '0' });
    expect(performance.now() - start).toBeLessThan(5000);
    const down = await service.get();
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(Number(SHORT_TIMEOUTS.HEALTH_DB_TIMEOUT_MS) + 1000);
    await deps.db.setMode('pass');
    await deps.cache.setMode('pass');
    await service.until('healthy');
  });

  it('runs the probes concurrently: both hung costs about 2 s (the slowest timeout), not 3 s', async () => {
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' });
    await service.until('healthy');
    await deps.db.setMode('blackhole');
    await deps.cache.setMode('blackhole');
    const { status, body, ms } = await service.get();
    expect(status).toBe(503);
    expect(body.checks.database.detail).toBe('database SELECT 1 timed out after 2000 ms');
    expect(body.checks.cache.detail).toBe('redis PING timed out after 1000 ms');
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(2800);
  });

  it('starts with only Redis down: 200 degraded from the first answer', async () => {
    await deps.cache.setMode('refuse');
    const app = (service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' }));
    const answer = await waitFor(
      async () => {
        const probe = await app.get();
        return probe.body.checks.database.status === 'ok' && probe;
      },
      { what: 'database connected' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('degraded');
  });

  it('a server that accepts logins but stalls every query: failed start-ups leak no connection', async () => {
    await deps.db.setMode('refuse');
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0', HEALTH_DB_TIMEOUT_MS: '500' });
    expect((await service.get()).body.checks.database.detail).toMatch(/ECONNREFUSED/);
    await deps.db.setMode('stall');
    for (let i = 0; i < 4; i++) {
      const { status, body } = await service.get();
      expect(status).toBe(503);
      expect(body.checks.database.detail).toBe('database SELECT 1 timed out after 500 ms');
    }
    // Each attempt logged in, then TypeORM's start-up query hung until its own 500 ms timeout; the pool it built
    // must be gone with it, not left holding a connection per attempt.
    await waitFor(() => deps.db.openConnections === 0, {
      what: 'abandoned start-up connections closed',
      timeoutMs: 3000,
    });
    expect(deps.db.totalConnections).toBeGreaterThanOrEqual(2);
    await deps.db.setMode('pass');
    await service.until('healthy');
    expect(deps.db.openConnections).toBe(1);
  });
});

/**
 * What the first answer waits for, in the real entry point: a preload writes, when the first answer has been sent,
 * the installed packages the process has loaded so far.
 */
describe('the first answer', () => {
  const FIRST_ANSWER = [
    "import http from 'node:http';",
    "import { createRequire } from 'node:module';",
    "const { cache } = createRequire('/');",
    'const packageOf = (file) => {',
    "  const [first, second] = file.split('/node_modules/').pop().split('/');",
    "  return first.startsWith('@') ? `${first}/${second}` : first;",
    '};',
    "const loaded = () => [...new Set(Object.keys(cache).filter((f) => f.includes('/node_modules/')).map(packageOf))];",
    'const emit = http.Server.prototype.emit;',
    'let first = true;',
    'http.Server.prototype.emit = function (event, request, response) {',
    "  if (event === 'request' && first) {",
    '    first = false;',
    "    response.once('finish', () => process.stdout.write(`first answer sent, with ${JSON.stringify(loaded())}\\n`));",
    '  }',
    '  return emit.apply(this, arguments);',
    '};',
  ].join('\n');
  let deps: ProxiedDependencies;
  let service: ChildApp | undefined;

  beforeAll(async () => {
    deps = await proxyDependencies();
  });
  afterAll(async () => {
    await service?.stop();
    await deps.close();
  });

  it('comes before TypeORM loads and the plugins are read; the first evaluation follows by itself', async () => {
    const preload = `data:text/javascript,${encodeURIComponent(FIRST_ANSWER)}`;
    // ChildApp.start asks liveness until it answers: that is the first request.
    service = await ChildApp.start(deps.env, { nodeArgs: ['--import', preload] });
    // Nothing asks for a report: the service evaluates once it has answered.
    await service.printed('status healthy');
    const first = /first answer sent, with (\[.*\])/.exec(service.stdout);
    expect(first).not.toBeNull();
    const loaded = JSON.parse(first![1]) as string[];
    expect(loaded).toEqual(expect.arrayContaining(['@nestjs/core', '@nestjs/platform-fastify', 'fastify']));
    expect(loaded).not.toContain('typeorm');
    expect(first!.index).toBeLessThan(service.stdout.indexOf('Loaded 1 plugin(s)'));
  });
});
