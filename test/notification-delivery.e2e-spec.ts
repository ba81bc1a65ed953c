import { RunningApp, probe, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies, SHORT_TIMEOUTS } from './support/dependencies';
import { Receiver } from './support/receiver';
import { waitFor } from './support/wait';

/**
 * How notifications are delivered, against real receivers: retries with backoff and a receiver that hangs. The exit
 * of the built service while a delivery hangs, and `secuscan-health notify-test`: notification-delivery.system.e2e-spec.ts.
 */
describe('notification delivery', () => {
  let deps: ProxiedDependencies;
  let receiver: Receiver;
  let service: RunningApp | undefined;

  beforeEach(async () => {
    deps = await proxyDependencies();
    receiver = await Receiver.start();
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
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
});
