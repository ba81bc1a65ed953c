import { probe } from './support/app';
import { ChildApp } from './support/child-app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { waitFor } from './support/wait';

/** The report during the shutdown drain, from the built service with a real SIGTERM. */
describe('health+json while shutting down', () => {
  let deps: ProxiedDependencies;
  let child: ChildApp | undefined;

  beforeAll(async () => {
    deps = await proxyDependencies();
  });
  afterAll(async () => {
    await child?.stop();
    await deps.close();
  });

  it('keeps the status code, and says warn with a note instead of pass', async () => {
    // The drain lasts 8 s: both answers below must come inside it, on a machine busy with other tests (with 3 s, the
    // second came after the listener had closed once: ECONNREFUSED).
    child = await ChildApp.start({ ...deps.env, HEALTH_SHUTDOWN_DELAY_MS: '8000', HEALTH_CACHE_TTL_MS: '0' });
    await child.until('healthy');
    const url = `http://127.0.0.1:${child.port}/api/v1/health`;
    expect((await probe(url, { accept: 'application/health+json' })).body.status).toBe('pass');
    child.kill('SIGTERM');
    const draining = await waitFor(
      async () => {
        const answer = await probe(url, { accept: 'application/health+json' });
        return answer.body.notes !== undefined && answer;
      },
      { what: 'a health+json answer with notes', timeoutMs: 5000 },
    );
    expect(draining.status).toBe(200);
    expect(draining.body).toMatchObject({ status: 'warn', notes: [expect.stringMatching(/^shutting down/)] });
    const plain = await probe(url);
    expect(plain).toMatchObject({ status: 200, body: { status: 'healthy' } });
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });
});
