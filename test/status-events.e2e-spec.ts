import type { TransitionDto } from '../src/status/dto/transition.dto';
import { EventStreamService } from '../src/status/event-stream.service';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { EventStreamClient } from './support/event-stream';
import { waitFor } from './support/wait';

/** History and the event stream against the real app, real PostgreSQL and Redis behind fault proxies. */
describe('history and event stream', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp | undefined;
  const clients: EventStreamClient[] = [];

  const open = async (headers: Record<string, string> = {}) => {
    const client = await EventStreamClient.open(`${service!.url}/api/v1/health/events`, headers);
    clients.push(client);
    return client;
  };
  const activity = () => service!.app.get(EventStreamService).activity;
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  beforeEach(async () => {
    deps = await proxyDependencies();
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.drop());
    await service?.close();
    service = undefined;
    await deps.close();
  });

  it('streams the latest report at once, uncached, with event ids', async () => {
    service = await startApp(deps.env);
    await service.until('healthy');
    const client = await open();
    expect(client.status).toBe(200);
    expect(client.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.response.headers['cache-control']).toBe('no-store');
    expect(client.response.headers['content-encoding']).toBeUndefined();
    const first = await client.next((e) => e.event === 'evaluation', 'the first evaluation');
    expect(Number(first.id)).toBeGreaterThan(0);
    expect(JSON.parse(first.data)).toMatchObject({ status: 'healthy', checks: { database: { status: 'ok' } } });
  });

  it('a transition reaches a listener within about a second with no probe traffic, and lands in the history', async () => {
    service = await startApp(deps.env);
    await service.until('healthy');
    const client = await open();
    await client.next((e) => e.event === 'evaluation', 'the first evaluation');
    const cutAt = performance.now();
    await deps.cache.setMode('refuse');
    const transition = await client.next((e) => e.event === 'transition', 'a transition event', 5000);
    expect(transition.receivedAt - cutAt).toBeLessThan(2500);
    const data = JSON.parse(transition.data);
    expect(data).toMatchObject({ id: Number(transition.id), from: 'healthy', to: 'degraded' });
    expect(data.reason).toMatch(/^cache: /);

    const history = await service.get('/health/history');
    expect(history.status).toBe(200);
    expect(history.headers.get('cache-control')).toBe('no-store');
    expect((history.body.transitions as TransitionDto[]).map((t) => t.to)).toEqual(['degraded', 'healthy']);
    expect(history.body.transitions[0]).toEqual(data);
    expect(Object.keys(history.body.series)).toEqual(['database', 'cache', 'plugins']);
    const cache: Array<[number, number, string]> = history.body.series.cache;
    expect(cache.at(-1)).toEqual([expect.any(Number), expect.any(Number), 'error']);
    expect(cache[0][2]).toBe('ok');
  });

  it('sends before each live evaluation, under its id, the points it added and the window, as the history has them', async () => {
    service = await startApp(deps.env);
    await service.until('healthy');
    const client = await open();
    const series = await client.next((e) => e.event === 'series', 'a series event', 5000);
    const update = JSON.parse(series.data);
    const evaluation = client.events[client.events.indexOf(series) + 1];
    expect(evaluation).toMatchObject({ event: 'evaluation', id: series.id });
    const report = JSON.parse(evaluation.data);
    const at: number = update.window.to;
    expect(update.window).toEqual({ from: at - 15 * 60_000, to: at });
    // The report says when it was evaluated, on the service's clock: the time of the points it added.
    expect(Date.parse(report.evaluated_at)).toBe(at);
    expect(Object.keys(update.points)).toEqual(Object.keys(report.checks));
    for (const [key, check] of Object.entries<{ latency_ms: number; status: string }>(report.checks)) {
      expect(update.points[key]).toEqual([at, check.latency_ms, check.status]);
    }
    expect(update.replaced).toEqual(expect.any(Array));

    const history = await service.get('/health/history');
    const window = history.body.series_window;
    expect(window.to - window.from).toBe(15 * 60_000);
    expect(window.to).toBeGreaterThanOrEqual(at);
    expect(history.body.series.database).toContainEqual(update.points.database);
  });

  it.each([
    ['1000', 1000, 'with a probe storm'],
    ['0', 1000, 'with no probes (the 1 s floor)'],
  ])('at TTL %s ms, 20 listeners get at most one evaluation per %d ms, %s', async (ttl, floorMs) => {
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: ttl });
    await service.until('healthy');
    const listeners = await Promise.all(Array.from({ length: 20 }, () => open()));
    const watcher = listeners[0];
    await watcher.next((e) => e.event === 'evaluation', 'the first evaluation');
    const from = watcher.events.length;
    const evaluations = () => watcher.events.slice(from).filter((e) => e.event === 'evaluation');
    // At TTL 0 every probe evaluates by definition; only the listeners' own refreshes are measured there.
    const storm = ttl === '0' ? undefined : probeStorm(service);
    await waitFor(() => evaluations().length >= 5, { what: 'five evaluations while listening', timeoutMs: 15_000 });
    await storm?.stop();
    const times = evaluations().map((e) => e.receivedAt);
    const span = times[4] - times[0];
    // The loop waits a full interval after each finished evaluation, so four gaps take at least four intervals;
    // measured on arrival, so the two ends may each be off by some event-loop jitter.
    expect(span).toBeGreaterThan(4 * floorMs - 150);
    // ...and keeps them coming: no more than an interval plus an evaluation each.
    expect(span).toBeLessThan(4 * (floorMs + 1000));
    // Every listener got the same evaluations.
    const ids = (c: EventStreamClient) => c.events.filter((e) => e.event === 'evaluation').map((e) => e.id);
    expect(ids(listeners[19]).slice(-3)).toEqual(ids(watcher).slice(-3));
  });

  it('Last-Event-ID replays the transitions the client missed, then goes on live', async () => {
    service = await startApp(deps.env);
    await service.until('healthy');
    const first = await open();
    const seen = await first.next((e) => e.event === 'evaluation', 'the first evaluation');
    first.drop();
    await deps.db.setMode('refuse');
    await service.until('unhealthy');
    await deps.db.setMode('pass');
    await service.until('healthy');

    const resumed = await open({ 'last-event-id': seen.id! });
    await resumed.next((e) => e.event === 'evaluation', 'the latest evaluation');
    const replayed = resumed.dataOf<TransitionDto>('transition');
    expect(replayed.map((t) => [t.from, t.to])).toEqual([
      ['healthy', 'unhealthy'],
      ['unhealthy', 'healthy'],
    ]);
    expect(replayed.every((t) => t.id > Number(seen.id))).toBe(true);
    // The replay comes before the current report, in id order.
    const ids = resumed.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const fresh = await open();
    await fresh.next((e) => e.event === 'evaluation', 'the latest evaluation');
    expect(fresh.dataOf('transition')).toEqual([]);
  });

  it('refuses subscribers beyond HEALTH_EVENTS_MAX with a 503 and a JSON reason', async () => {
    service = await startApp({ ...deps.env, HEALTH_EVENTS_MAX: '3' });
    await service.until('healthy');
    const admitted = await Promise.all([open(), open(), open()]);
    expect(admitted.map((c) => c.status)).toEqual([200, 200, 200]);
    const refused = await open();
    expect(refused.status).toBe(503);
    await refused.ended;
    expect(JSON.parse(refused.body)).toEqual({
      reason: 'too many event stream subscribers (HEALTH_EVENTS_MAX is 3)',
    });
    admitted[0].drop();
    await waitFor(() => activity().clients === 2, { what: 'the dropped client to be let go' });
    expect((await open()).status).toBe(200);
  });

  it('answers HEAD with the stream’s headers and ends, holding no subscriber slot', async () => {
    service = await startApp({ ...deps.env, HEALTH_EVENTS_MAX: '1' });
    await service.until('healthy');
    for (let i = 0; i < 2; i++) {
      const head = await fetch(`${service.url}/api/v1/health/events`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(head.headers.get('cache-control')).toBe('no-store');
      expect(await head.text()).toBe('');
    }
    expect(activity()).toEqual({ clients: 0, heartbeat: false, refreshLoop: false });
    const client = await open();
    expect(client.status).toBe(200);
    // At the cap, HEAD answers what GET would: 503.
    expect((await fetch(`${service.url}/api/v1/health/events`, { method: 'HEAD' })).status).toBe(503);
  });

  it('counts the open streams in /metrics', async () => {
    service = await startApp(deps.env);
    await service.until('healthy');
    const subscribers = async () =>
      /^secuscan_health_event_stream_subscribers (\d+)$/m.exec(
        (await service!.get('/metrics')).body.raw as string,
      )?.[1];
    expect(await subscribers()).toBe('0');
    const [first] = await Promise.all([open(), open()]);
    expect(await subscribers()).toBe('2');
    first.drop();
    await waitFor(() => activity().clients === 1, { what: 'the dropped client to be let go' });
    expect(await subscribers()).toBe('1');
  });

  it('leaks nothing when clients vanish: subscribers, timers and sockets return to the baseline', async () => {
    service = await startApp(deps.env);
    await service.until('healthy');
    const baselineTimers = timers();
    const baselineConnections = await connections(service);
    expect(activity()).toEqual({ clients: 0, heartbeat: false, refreshLoop: false });

    for (let round = 0; round < 3; round++) {
      const batch = await Promise.all(Array.from({ length: 30 }, () => open()));
      await Promise.all(batch.map((c) => c.next((e) => e.event === 'evaluation', 'the first evaluation')));
      expect(activity()).toMatchObject({ clients: 30, heartbeat: true, refreshLoop: true });
      expect(timers()).toBeGreaterThan(baselineTimers);
      batch.forEach((c) => c.drop());
      await waitFor(() => activity().clients === 0, { what: 'every dropped client to be let go' });
      await waitFor(() => !activity().refreshLoop, { what: 'the refresh loop to stop', timeoutMs: 5000 });
      expect(activity()).toEqual({ clients: 0, heartbeat: false, refreshLoop: false });
      await waitFor(() => timers() <= baselineTimers, { what: `timers back to ${baselineTimers}` });
    }
    await waitFor(async () => (await connections(service!)) <= baselineConnections, {
      what: `open connections back to ${baselineConnections}`,
    });
  });

  it('closing the app ends every open stream', async () => {
    service = await startApp(deps.env);
    await service.until('healthy');
    const client = await open();
    await client.next((e) => e.event === 'evaluation', 'the first evaluation');
    const closing = service.close();
    await client.ended;
    await closing;
    service = undefined;
  });
});

/** Connections the app's server holds open now. */
function connections(service: RunningApp): Promise<number> {
  const server = service.app.getHttpServer();
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

/** Probes the report with 8 concurrent callers, as fast as they can, until stopped. */
function probeStorm(service: RunningApp): { stop(): Promise<void> } {
  let running = true;
  // Eight callers, each asking again 10 ms after an answer: hundreds of probes per TTL, without spending the core
  // this process shares with the service on a client that never pauses.
  const callers = Promise.all(
    Array.from({ length: 8 }, async () => {
      while (running) {
        await service.get('/health');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }),
  );
  return {
    stop: async () => {
      running = false;
      await callers;
    },
  };
}
