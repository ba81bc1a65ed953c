import { HealthService, type OverallStatus } from '../src/health';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies, SHORT_TIMEOUTS } from './support/dependencies';
import { maintenance } from './support/maintenance';
import { Received, Receiver } from './support/receiver';
import { waitFor } from './support/wait';

const TOKEN = 'maintenance-token-0123456789';
const BEARER = { authorization: `Bearer ${TOKEN}` };
const json = (r: Received) => JSON.parse(r.body) as Record<string, unknown>;

/**
 * Maintenance windows hold notifications: the real app, PostgreSQL behind a fault proxy and a real webhook receiver.
 * The service evaluates by itself only once a minute here (`HEALTH_NOTIFY_INTERVAL_MS`), so a notification that comes
 * within seconds of a window's end was sent because the end woke the notifier.
 */
describe('notifications during a maintenance window', () => {
  let deps: ProxiedDependencies;
  let receiver: Receiver;
  let service: RunningApp;

  beforeEach(async () => {
    deps = await proxyDependencies();
    receiver = await Receiver.start();
    service = await startApp({
      ...deps.env,
      ...SHORT_TIMEOUTS,
      HEALTH_TOKEN: TOKEN,
      HEALTH_NOTIFY_URLS: `${receiver.base}/hook`,
      HEALTH_NOTIFY_AFTER_MS: '300',
      HEALTH_NOTIFY_REPEAT_MS: '0',
      HEALTH_NOTIFY_INTERVAL_MS: '60000',
    });
    await service.until('healthy');
  });
  afterEach(async () => {
    await service?.close();
    await receiver?.close();
    await deps?.close();
  });

  /** Evaluations (one per second at most, through the cache) until one at least `forMs` after `from` says `status`. */
  const heldFor = (status: OverallStatus, from: number, forMs: number) =>
    waitFor(
      async () => {
        const answer = await service.get('/health');
        const latest = service.app.get(HealthService).latest;
        return answer.body.status === status && latest !== undefined && latest.finishedAt - from >= forMs;
      },
      { what: `${status} for ${forMs} ms`, timeoutMs: 15_000, intervalMs: 100 },
    );

  it('sends nothing while a window lasts, and tells a state that still holds as soon as it is ended', async () => {
    await maintenance(service.url, 'POST', { headers: BEARER, body: { minutes: 10, reason: 'moving PostgreSQL' } });
    const cutAt = performance.now();
    const cutEpoch = Date.now();
    await deps.db.setMode('refuse');
    // Well past HEALTH_NOTIFY_AFTER_MS: outside a window this would have been told long ago.
    await heldFor('unhealthy', cutAt, 2_000);
    expect(receiver.requests).toEqual([]);

    const endedAt = performance.now();
    expect((await maintenance(service.url, 'DELETE', { headers: BEARER })).status).toBe(200);
    const [told] = await receiver.until(1, () => true, 'the held outage', 10_000);
    expect(told.at - endedAt).toBeLessThan(5_000);
    expect(json(told)).toMatchObject({ event: 'status_changed', status: 'unhealthy', previous: 'healthy' });
    // The state is told as it is: it began at the cut, inside the window.
    expect(Date.parse(json(told).since as string)).toBeGreaterThanOrEqual(cutEpoch - 50);
    expect(Date.parse(json(told).since as string)).toBeLessThan(cutEpoch + 2_000);
  });

  it('tells a state that still holds when the window is over by its until, with no request', async () => {
    const until = Date.now() + 2_500;
    await maintenance(service.url, 'POST', { headers: BEARER, body: { until: new Date(until).toISOString() } });
    await deps.cache.setMode('refuse');
    await heldFor('degraded', performance.now(), 1_000);
    expect(receiver.requests).toEqual([]);
    const [told] = await receiver.until(1, () => true, 'the held degradation', 15_000);
    const sentAt = Date.parse(json(told).at as string);
    expect(sentAt).toBeGreaterThanOrEqual(until);
    expect(sentAt - until).toBeLessThan(5_000);
    expect(json(told)).toMatchObject({ event: 'status_changed', status: 'degraded', previous: 'healthy' });
  });

  it('tells nothing of an outage that was over before the window ended', async () => {
    await maintenance(service.url, 'POST', { headers: BEARER, body: { minutes: 10 } });
    const cutAt = performance.now();
    await deps.db.setMode('refuse');
    await heldFor('unhealthy', cutAt, 1_000);
    const back = performance.now();
    await deps.db.setMode('pass');
    await heldFor('healthy', back, 0);
    await maintenance(service.url, 'DELETE', { headers: BEARER });
    // The notifier evaluates again within about a second of the end; give it three, with evaluations going on.
    await heldFor('healthy', performance.now(), 3_000);
    expect(receiver.requests).toEqual([]);
  });
});
