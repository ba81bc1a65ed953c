import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildApp } from './support/child-app';
import { cli } from './support/cli';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { Receiver } from './support/receiver';

/**
 * Notification delivery by the built programs (`npm run build`), against real receivers: the exit of the service in a
 * child process while a delivery hangs, and `secuscan-health notify-test`. The retries and the hanging receiver, in
 * process: notification-delivery.e2e-spec.ts.
 */
describe('notification delivery by the built programs', () => {
  let deps: ProxiedDependencies;
  let receiver: Receiver;
  let child: ChildApp | undefined;

  beforeEach(async () => {
    deps = await proxyDependencies();
    receiver = await Receiver.start();
  });
  afterEach(async () => {
    await child?.stop();
    child = undefined;
    await receiver.close();
    await deps.close();
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
