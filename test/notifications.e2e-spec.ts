import { createHmac } from 'node:crypto';
import { HealthService, type OverallStatus } from '../src/health';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { Received, Receiver } from './support/receiver';
import { waitFor } from './support/wait';

/** What the generic JSON format carries, in this order. */
const PAYLOAD_KEYS = [
  'event',
  'status',
  'previous',
  'since',
  'at',
  'service',
  'version',
  'reason',
  'checks',
  'url',
  'id',
];
/** Pieces of the target URLs and the signing key that must never show outside the requests themselves. */
const SECRETS = [
  'HOOKSECRET',
  'SLACKSECRET',
  'DISCORDTOKEN',
  'NTFYTOPIC',
  'ntfypass',
  'SIGNKEY',
  'DEADSECRET',
  'deadpass',
];

const json = (r: Received) => JSON.parse(r.body) as Record<string, unknown>;

/**
 * Notifications against the real app, real PostgreSQL and Redis behind fault proxies, and a real HTTP receiver
 * standing in for a webhook, Slack, Discord and ntfy. No test sends a probe while it waits for a notification: the
 * service notices by itself (it is observed in-process through `HealthService.latest`, which sends nothing).
 */
describe('notifications', () => {
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

  const start = async (env: Record<string, string>) => {
    // Outages here are refusals, which fail at once: the checks keep their default timeouts, so a loaded machine
    // cannot turn a slow answer of the check left running into a second failure the payloads would then show.
    service = await startApp({ ...deps.env, HEALTH_NOTIFY_INTERVAL_MS: '1000', ...env });
    return service;
  };
  /** The latest evaluation, read in-process (no HTTP request, so no probe traffic). */
  const latest = () => service!.app.get(HealthService).latest;
  const evaluated = (status: OverallStatus, after = 0) =>
    waitFor(
      () => {
        const snapshot = latest();
        return snapshot?.report.status === status && snapshot.finishedAt >= after && snapshot;
      },
      { what: `an evaluation saying ${status}`, timeoutMs: 15_000, intervalMs: 20 },
    );

  it('tells every format of an outage and of the recovery, with no probe traffic, and never shows a secret', async () => {
    const { base, host } = receiver;
    await start({
      HEALTH_NOTIFY_URLS: [
        `${base}/generic/HOOKSECRET?token=HOOKSECRET`,
        `slack+${base}/slack/services/T0/B0/SLACKSECRET`,
        `discord+${base}/discord/api/webhooks/1/DISCORDTOKEN`,
        `ntfy+http://alerts:ntfypass@${host}/ntfy/NTFYTOPIC`,
        // Nothing listens there: every delivery to it fails, and the others do not wait for it.
        'http://dead:deadpass@127.0.0.1:1/dead/DEADSECRET',
      ].join(','),
      HEALTH_NOTIFY_SECRET: 'SIGNKEY',
      HEALTH_NOTIFY_AFTER_MS: '300',
      HEALTH_PUBLIC_URL: 'https://health.example.com',
      APP_NAME: 'scanner-lab',
    });
    await evaluated('healthy');
    const cutAt = performance.now();
    const cutEpoch = Date.now();
    await deps.db.setMode('refuse');
    const down = await receiver.until(4, () => true, 'outage notifications');
    for (const request of down) {
      expect(request.method).toBe('POST');
      expect(request.at - cutAt).toBeGreaterThanOrEqual(300);
      expect(request.headers['user-agent']).toBe('scanner-lab/1.0.0');
    }

    const [generic] = receiver.to('/generic/');
    expect(generic.path).toBe('/generic/HOOKSECRET?token=HOOKSECRET');
    expect(generic.headers['content-type']).toBe('application/json');
    const signature = createHmac('sha256', 'SIGNKEY').update(generic.body).digest('hex');
    expect(generic.headers['x-secuscan-signature']).toBe(`sha256=${signature}`);
    const payload = json(generic);
    expect(Object.keys(payload)).toEqual(PAYLOAD_KEYS);
    expect(payload).toEqual({
      event: 'status_changed',
      status: 'unhealthy',
      previous: 'healthy',
      since: expect.any(String),
      at: expect.any(String),
      service: 'scanner-lab',
      version: '1.0.0',
      reason: expect.stringMatching(/^database: database unreachable: .*ECONNREFUSED/),
      checks: { database: 'error', cache: 'ok', plugins: 'ok' },
      url: 'https://health.example.com/status',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const since = Date.parse(payload.since as string);
    expect(since).toBeGreaterThanOrEqual(cutEpoch - 50);
    expect(Date.parse(payload.at as string) - since).toBeGreaterThanOrEqual(300);

    const [slack] = receiver.to('/slack/');
    expect(slack.path).toBe('/slack/services/T0/B0/SLACKSECRET');
    expect(slack.headers['content-type']).toBe('application/json');
    const { text } = json(slack) as { text: string };
    expect(Object.keys(json(slack))).toEqual(['text']);
    expect(text).toMatch(/^\*scanner-lab is unhealthy\*\nUnhealthy since \S+ \(was healthy\)\.\ndatabase: /);
    expect(text).toContain('<https://health.example.com/status|Status page>');

    const [discord] = receiver.to('/discord/');
    expect(json(discord)).toEqual({
      content: expect.stringMatching(/^\*\*scanner-lab is unhealthy\*\*\nUnhealthy since .*\ndatabase: /s),
      allowed_mentions: { parse: [] },
    });

    const [ntfy] = receiver.to('/ntfy/');
    expect(ntfy.path).toBe('/ntfy/NTFYTOPIC');
    expect(ntfy.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      title: 'scanner-lab is unhealthy',
      priority: '5',
      tags: 'rotating_light',
      click: 'https://health.example.com/status',
      authorization: `Basic ${Buffer.from('alerts:ntfypass').toString('base64')}`,
    });
    expect(ntfy.body).toMatch(/^Unhealthy since \S+ \(was healthy\)\.\ndatabase: database unreachable/);

    const restoredAt = performance.now();
    await deps.db.setMode('pass');
    const up = (await receiver.until(8, () => true, 'outage and recovery notifications')).slice(4);
    expect(up.every((r) => r.at - restoredAt >= 300)).toBe(true);
    expect(json(receiver.to('/generic/')[1])).toMatchObject({
      event: 'recovered',
      status: 'healthy',
      previous: 'unhealthy',
      reason: null,
      checks: { database: 'ok', cache: 'ok', plugins: 'ok' },
    });
    expect(json(receiver.to('/slack/')[1]).text).toMatch(/^\*scanner-lab is healthy again\*/);
    expect(receiver.to('/ntfy/')[1].headers).toMatchObject({ priority: '3', tags: 'white_check_mark' });

    // The dead target: both notifications fail (after three tries each), logged and counted by label only.
    const logger = service!.logger;
    await waitFor(() => logger.find('warn', 'to webhook#5 (127.0.0.1:1) failed after 3 tries').length === 2, {
      what: 'two failures logged for the dead target',
      timeoutMs: 20_000,
    });
    expect(logger.find('log', 'notification status_changed (unhealthy) to slack#2')).toHaveLength(1);
    const metrics = await (await fetch(`${service!.url}/api/v1/metrics`)).text();
    for (const label of ['webhook#1', 'slack#2', 'discord#3', 'ntfy#4']) {
      expect(metrics).toContain(`secuscan_health_notifications_total{target="${label}",result="sent"} 2`);
      expect(metrics).toContain(`secuscan_health_notifications_total{target="${label}",result="failed"} 0`);
    }
    expect(metrics).toContain('secuscan_health_notifications_total{target="webhook#5",result="failed"} 2');
    const logged = JSON.stringify(logger.lines);
    for (const secret of SECRETS) {
      expect({ secret, in: 'logs', found: logged.includes(secret) }).toEqual({ secret, in: 'logs', found: false });
      expect({ secret, in: 'metrics', found: metrics.includes(secret) }).toEqual({
        secret,
        in: 'metrics',
        found: false,
      });
    }
  });

  it('sends nothing for a flap shorter than HEALTH_NOTIFY_AFTER_MS', async () => {
    await start({ HEALTH_NOTIFY_URLS: `${receiver.base}/hook`, HEALTH_NOTIFY_AFTER_MS: '3000' });
    await evaluated('healthy');
    const cutAt = performance.now();
    await deps.db.setMode('refuse');
    await evaluated('unhealthy');
    await deps.db.setMode('pass');
    await evaluated('healthy');
    // Evaluations go on (the service's own, every second) well past the window a notification would have needed.
    await evaluated('healthy', cutAt + 3000 + 1500);
    expect(receiver.requests).toEqual([]);
  });

  it('reminds while the state holds, keeping when it began, and stops on recovery', async () => {
    await start({
      HEALTH_NOTIFY_URLS: `${receiver.base}/hook`,
      HEALTH_NOTIFY_AFTER_MS: '0',
      HEALTH_NOTIFY_REPEAT_MS: '1500',
    });
    await evaluated('healthy');
    await deps.cache.setMode('refuse');
    const [changed, first, second] = (await receiver.until(3, () => true, 'a change and two reminders')).map(json);
    expect(changed).toMatchObject({ event: 'status_changed', status: 'degraded', previous: 'healthy' });
    expect(changed.reason).toMatch(/^cache: /);
    for (const reminder of [first, second]) {
      expect(reminder).toMatchObject({ event: 'reminder', status: 'degraded', previous: 'healthy' });
      expect(reminder.since).toBe(changed.since);
    }
    const gap = Date.parse(second.at as string) - Date.parse(first.at as string);
    expect(gap).toBeGreaterThanOrEqual(1500);
    expect(gap).toBeLessThan(4000);
    await deps.cache.setMode('pass');
    const recovered = await receiver.until(1, (r) => json(r).event === 'recovered', 'a recovery');
    expect(json(recovered[0])).toMatchObject({ status: 'healthy', previous: 'degraded' });
  });
});
