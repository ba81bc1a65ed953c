import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningApp, probe, startApp } from './support/app';
import { ChildApp } from './support/child-app';
import { cli } from './support/cli';
import { ProxiedDependencies, proxyDependencies, SHORT_TIMEOUTS } from './support/dependencies';
import { Receiver } from './support/receiver';
import { waitFor } from './support/wait';

/**
 * How notifications are delivered, against real receivers: retries with backoff, a receiver that hangs, the exit
 * of the built service while a delivery hangs, and `secuscan-health notify-test`. Needs `npm run build`.
 */
describe('notification delivery', () => {
  let deps: ProxiedDependencies;
  let receiver: Receiver;
  let service: RunningApp | undefined;
  let child: ChildApp | undefined;

  beforeEach(async () => {
    deps = await proxyDependencies();
    receiver = await Receiver.start();
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
    await child?.stop();
    child = undefined;
    await receiver.close();
    await deps.close();
  });

  const degradeAndNotify = async () => {
    service = await startApp({
      ...deps.env,
      ...SHORT_TIMEOUTS,
      HEALTH_NOTIFY_URLS: `${receiver.base}/hook`,
      HEALTH_NOTIFY_AFTER_MS: '0',
      HEALTH_NOTIFY_INTERVAL_MS: '1000',
    });
    await service.until('healthy');
    await deps.cache.setMode('refuse');
    return service;
  };

  it('retries a receiver that fails twice, with backoff, and delivers the same notification on the third try', async () => {
    receiver.answers = (index) => (index < 2 ? 500 : 200);
    const app = await degradeAndNotify();
    const tries = await receiver.until(3, () => true, 'tries');
    expect(new Set(tries.map((t) => t.body)).size).toBe(1);
    expect(JSON.parse(tries[0].body)).toMatchObject({ event: 'status_changed', status: 'degraded' });
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(1000 - 20);
    expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(2000 - 20);
    await waitFor(() => app.logger.find('log', 'to webhook#1 (').some((line) => line.endsWith(' sent')), {
      what: 'the delivery logged as sent',
    });
    const metrics = await (await fetch(`${app.url}/api/v1/metrics`)).text();
    expect(metrics).toContain('secuscan_health_notifications_total{target="webhook#1",result="sent"} 1');
    expect(metrics).toContain('secuscan_health_notifications_total{target="webhook#1",result="failed"} 0');
    expect(receiver.requests).toHaveLength(3);
  });

  it('a hanging receiver costs its delivery a 5 s timeout and never delays a probe', async () => {
    receiver.answers = (index) => (index === 0 ? 'hang' : 200);
    const app = await degradeAndNotify();
    const [hung] = await receiver.until(1, () => true, 'the first try');
    // While the delivery hangs: liveness, readiness and the full report answer as fast as ever.
    const slowest = { live: 0, ready: 0, health: 0 };
    while (receiver.requests.length < 2) {
      for (const path of ['live', 'ready', 'health'] as const) {
        const answer = await probe(`${app.url}/api/v1/health${path === 'health' ? '' : `/${path}`}`);
        expect(answer.status).toBe(200);
        slowest[path] = Math.max(slowest[path], answer.ms);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(slowest.live).toBeLessThan(500);
    expect(slowest.ready).toBeLessThan(1000);
    expect(slowest.health).toBeLessThan(1000);
    const retry = receiver.requests[1];
    // The timeout (5 s), then the first backoff (1 s): generous above, since the machine may be loaded.
    expect(retry.at - hung.at).toBeGreaterThanOrEqual(6000 - 50);
    expect(retry.at - hung.at).toBeLessThan(9000);
    expect(retry.body).toBe(hung.body);
    await waitFor(() => receiver.hangingAnswers === 0, { what: 'the timed-out request to be closed by the service' });
    await waitFor(() => app.logger.find('log', 'to webhook#1 (').length === 1, { what: 'the delivery logged' });
  });

  it('the built service exits 0 at once on SIGTERM while a delivery hangs, dropping it', async () => {
    receiver.answers = () => 'hang';
    child = await ChildApp.start({
      // Nothing listens there: unhealthy from the first evaluation, notified at once (AFTER 0), as a bad start.
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
      REDIS_URL: deps.env.REDIS_URL,
      HEALTH_NOTIFY_URLS: `${receiver.base}/hook`,
      HEALTH_NOTIFY_AFTER_MS: '0',
      HEALTH_SHUTDOWN_DELAY_MS: '0',
    });
    const [request] = await receiver.until(1, () => true, 'the notification of a bad start');
    expect(JSON.parse(request.body)).toMatchObject({ event: 'status_changed', status: 'unhealthy', previous: null });
    const signalledAt = performance.now();
    child.kill('SIGTERM');
    const exit = await child.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    // The 2 s grace for deliveries in flight, and the rest of the close, well inside the 10 s watchdog.
    expect(performance.now() - signalledAt).toBeLessThan(6000);
    expect(child.logs).toMatch(/notification status_changed \(unhealthy\) to webhook#1 \(127\.0\.0\.1:\d+\) dropped/);
  });

  describe('secuscan-health notify-test', () => {
    let dir: string;
    beforeEach(async () => {
      // Its own working folder, so a .env of the repository is not read.
      dir = await mkdtemp(join(tmpdir(), 'secuscan-notify-test-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('sends a test to every target and exits 0 when all answer 2xx', async () => {
      const targets = `${receiver.base}/hook/SECRET1,ntfy+${receiver.base}/topicSECRET2`;
      // The targets come from .env, as the service reads them.
      await writeFile(join(dir, '.env'), `HEALTH_NOTIFY_URLS=${targets}\nHEALTH_NOTIFY_SECRET=SIGNINGKEY\n`);
      const run = await cli(['notify-test'], {}, { cwd: dir });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const port = receiver.host.split(':')[1];
      expect(run.stdout).toMatch(
        new RegExp(
          `^webhook#1 \\(127\\.0\\.0\\.1:${port}\\) +ok +HTTP 200 in \\d+ ms\\nntfy#2 \\(127\\.0\\.0\\.1:${port}\\) +ok `,
        ),
      );
      expect(run.stdout + run.stderr).not.toMatch(/SECRET|SIGNINGKEY/);
      const [generic] = receiver.to('/hook/');
      expect(JSON.parse(generic.body)).toMatchObject({ event: 'test', service: 'secuscan-health', status: null });
      const signature = createHmac('sha256', 'SIGNINGKEY').update(generic.body).digest('hex');
      expect(generic.headers['x-secuscan-signature']).toBe(`sha256=${signature}`);
      expect(receiver.to('/topicSECRET2')[0].headers.title).toBe('secuscan-health: test notification');
    });

    it('exits 1 when a target does not answer 2xx, and 2 without targets', async () => {
      receiver.answers = (_index, received) => (received.path.startsWith('/bad') ? 500 : 204);
      const env = { HEALTH_NOTIFY_URLS: `${receiver.base}/good,slack+${receiver.base}/bad/SECRET` };
      const failed = await cli(['notify-test'], env, { cwd: dir });
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/^webhook#1 .* ok +HTTP 204 in /m);
      expect(failed.stdout).toMatch(/^slack#2 .* failed +HTTP 500 in /m);
      expect(failed.stdout).not.toContain('SECRET');

      const none = await cli(['notify-test'], {}, { cwd: dir });
      expect(none).toMatchObject({ code: 2, stdout: '' });
      expect(none.stderr).toMatch(/^secuscan-health: HEALTH_NOTIFY_URLS is not set/);
    });
  });
});
