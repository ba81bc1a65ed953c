import { ChildApp } from './support/child-app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { EventStreamClient } from './support/event-stream';

/** The event stream of the built service (`npm run build`) in a child process, stopped by a real signal. */
describe('event stream and graceful shutdown of the real process', () => {
  let deps: ProxiedDependencies;
  let child: ChildApp | undefined;

  beforeEach(async () => {
    deps = await proxyDependencies();
  });
  afterEach(async () => {
    await child?.stop();
    await deps.close();
  });

  it('SIGTERM with open streams: the streams end and the process still exits 0 promptly', async () => {
    child = await ChildApp.start({ ...deps.env, HEALTH_SHUTDOWN_DELAY_MS: '300' });
    await child.until('healthy');
    const url = `http://127.0.0.1:${child.port}/api/v1/health/events`;
    const streams = await Promise.all(Array.from({ length: 5 }, () => EventStreamClient.open(url)));
    await Promise.all(streams.map((s) => s.next((e) => e.event === 'evaluation', 'the first evaluation')));
    const signalledAt = performance.now();
    child.kill('SIGTERM');
    await Promise.all(streams.map((s) => s.ended));
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalledAt).toBeLessThan(5000);
  });
});
