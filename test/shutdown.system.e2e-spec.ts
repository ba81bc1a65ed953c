import { join } from 'node:path';
import { ChildApp } from './support/child-app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { waitFor } from './support/wait';

/**
 * A preload that holds Nest's module init for 10 s, as a slow provider would. Init is otherwise quick (nothing is
 * read or connected before the app listens), too quick for a signal from the test to land in it every time.
 */
const HOLD_INIT = [
  "import { createRequire } from 'node:module';",
  `const { NestApplication } = createRequire(${JSON.stringify(join(__dirname, '..', 'dist', 'main.js'))})('@nestjs/core');`,
  'const init = NestApplication.prototype.init;',
  'NestApplication.prototype.init = async function () {',
  '  await new Promise((resolve) => setTimeout(resolve, 10_000));',
  '  return init.call(this);',
  '};',
].join('\n');

/** Graceful shutdown of the real entry point (`node dist/main.js`) with real signals. */
describe('graceful shutdown', () => {
  let deps: ProxiedDependencies;
  let service: ChildApp | undefined;

  const healthy = () => service!.until('healthy');
  const refused = () =>
    service!.get('/health/live').then(
      () => false,
      () => true,
    );

  beforeEach(async () => {
    deps = await proxyDependencies();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await deps.close();
  });

  it('SIGTERM: readiness 503 at once, liveness 200, in-flight requests finish, then it closes and exits 0', async () => {
    service = await ChildApp.start({ ...deps.env, HEALTH_SHUTDOWN_DELAY_MS: '1500', HEALTH_CACHE_TTL_MS: '0' });
    await healthy();
    expect((await service.get('/health/ready')).status).toBe(200);

    // An in-flight request: the database hangs, so the report takes the 2 s timeout, longer than the drain delay.
    await deps.db.setMode('blackhole');
    const swallowed = deps.db.swallowedChunks;
    const inFlight = service.get('/health');
    await waitFor(() => deps.db.swallowedChunks > swallowed, { what: 'the report to query the hung database' });
    const signalledAt = performance.now();
    service.kill('SIGTERM');
    await service.printed('SIGTERM received: readiness is 503');

    const ready = await service.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ ready: false, status: 'shutting_down', reason: expect.any(String) });
    expect(ready.headers.get('connection')).toBe('close');
    const live = await service.get('/health/live');
    expect(live.status).toBe(200);
    expect(await refused()).toBe(false);

    const finished = await inFlight;
    expect(finished.status).toBe(503);
    expect(finished.body.checks.database.detail).toBe('database SELECT 1 timed out after 2000 ms');

    const exit = await service.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalledAt).toBeGreaterThanOrEqual(1500);
    expect(performance.now() - signalledAt).toBeLessThan(8000);
    expect(service.logs).toContain('SIGTERM received: readiness is 503, closing in 1500 ms');
    expect(await refused()).toBe(true);
  });

  it('SIGINT drains and exits 0 the same way', async () => {
    service = await ChildApp.start({ ...deps.env, HEALTH_SHUTDOWN_DELAY_MS: '300' });
    await healthy();
    service.kill('SIGINT');
    await waitFor(
      () =>
        service!.get('/health/ready').then(
          (a) => a.status === 503,
          () => false,
        ),
      { what: 'ready 503' },
    );
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.logs).toContain('SIGINT received');
  });

  it('a second signal exits at once, without waiting for the drain', async () => {
    service = await ChildApp.start({ ...deps.env, HEALTH_SHUTDOWN_DELAY_MS: '30000' });
    await healthy();
    service.kill('SIGTERM');
    await waitFor(
      () =>
        service!.get('/health/ready').then(
          (a) => a.status === 503,
          () => false,
        ),
      { what: 'ready 503' },
    );
    const start = performance.now();
    service.kill('SIGTERM');
    const exit = await service.exited;
    expect(performance.now() - start).toBeLessThan(2000);
    expect(exit.code).toBe(143);
    expect(service.logs).toContain('second SIGTERM: exiting now');
  });

  it('exits 0 in bounded time even when PostgreSQL and Redis hang at shutdown', async () => {
    service = await ChildApp.start({ ...deps.env, HEALTH_SHUTDOWN_DELAY_MS: '200' });
    await healthy();
    await deps.db.setMode('blackhole');
    await deps.cache.setMode('blackhole');
    const start = performance.now();
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - start).toBeLessThan(6000);
  });

  it('starts and exits 0 with both dependencies down the whole time', async () => {
    await deps.db.setMode('refuse');
    await deps.cache.setMode('refuse');
    service = await ChildApp.start({ ...deps.env, HEALTH_SHUTDOWN_DELAY_MS: '100' });
    expect((await service.get('/health')).status).toBe(503);
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
  });

  it('a signal while still booting exits 0 at once, without the drain delay', async () => {
    service = await ChildApp.spawn(
      { ...deps.env, HEALTH_SHUTDOWN_DELAY_MS: '5000' },
      { nodeArgs: ['--import', `data:text/javascript,${encodeURIComponent(HOLD_INIT)}`] },
    );
    // Nest's first line comes before the modules are initialised: still booting.
    await service.printed('Starting Nest application');
    const signalledAt = performance.now();
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalledAt).toBeLessThan(2000);
    expect(service.stderr).toContain('SIGTERM received while starting: exiting');
    expect(service.logs).not.toContain('readiness is 503');
  });
});
