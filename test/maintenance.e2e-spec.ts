import { REQUEST_BODY_LIMIT } from '../src/app.factory';
import { RunningApp, startApp } from './support/app';
import { cli } from './support/cli';
import { ProxiedDependencies, proxyDependencies, SHORT_TIMEOUTS } from './support/dependencies';
import { EventStreamClient } from './support/event-stream';
import { maintenance } from './support/maintenance';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

const TOKEN = 'maintenance-token-0123456789';
const BEARER = { authorization: `Bearer ${TOKEN}` };
const WINDOW = { minutes: 30, reason: 'upgrading nmap' };

/** Maintenance windows over real sockets: who may use them, what they accept, and what they change (and do not). */
describe('maintenance windows', () => {
  let service: RunningApp | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  const start = async (env: Record<string, string>) => (service = await startApp(env));

  describe.each(['always', 'when-authorized', 'never'])('HEALTH_DETAILS=%s', (details) => {
    it('every method needs the token: 401 with WWW-Authenticate: Bearer without it or with another', async () => {
      const { url } = await start({ HEALTH_DETAILS: details, HEALTH_TOKEN: TOKEN });
      for (const method of ['GET', 'POST', 'DELETE'] as const) {
        const refused: Array<Record<string, string>> = [
          {},
          { authorization: 'Bearer another-token-0123456789' },
          { authorization: TOKEN },
        ];
        for (const headers of refused) {
          const answer = await maintenance(url, method, { headers, body: method === 'POST' ? WINDOW : undefined });
          expect({ method, headers, status: answer.status }).toEqual({ method, headers, status: 401 });
          expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
          expect(answer.body).toEqual({
            statusCode: 401,
            error: 'Unauthorized',
            message: 'a bearer token (HEALTH_TOKEN) is required to change maintenance windows',
          });
        }
      }
      expect((await maintenance(url, 'GET')).body).not.toHaveProperty('until');
    });

    it('with the token: 404 with none, start, read, end, 404 again', async () => {
      const { url } = await start({ HEALTH_DETAILS: details, HEALTH_TOKEN: TOKEN });
      const none = { statusCode: 404, error: 'Not Found', message: 'no maintenance window is active' };
      expect(await maintenance(url, 'GET', { headers: BEARER })).toMatchObject({ status: 404, body: none });
      const before = Date.now();
      const started = await maintenance(url, 'POST', { headers: BEARER, body: WINDOW });
      expect(started.status).toBe(200);
      expect(started.headers.get('cache-control')).toBe('no-store');
      expect(started.headers.get('content-type')).toBe('application/json');
      expect(started.body).toEqual({
        since: expect.any(String),
        until: expect.any(String),
        reason: 'upgrading nmap',
        persisted: true,
      });
      const until = Date.parse(started.body.until as string);
      expect(until - Date.parse(started.body.since as string)).toBe(30 * 60_000);
      expect(until).toBeGreaterThanOrEqual(before + 30 * 60_000);
      expect(await maintenance(url, 'GET', { headers: BEARER })).toMatchObject({ status: 200, body: started.body });
      expect(await maintenance(url, 'DELETE', { headers: BEARER })).toMatchObject({ status: 200, body: started.body });
      expect(await maintenance(url, 'GET', { headers: BEARER })).toMatchObject({ status: 404, body: none });
      expect(await maintenance(url, 'DELETE', { headers: BEARER })).toMatchObject({ status: 404, body: none });
    });
  });

  it('without HEALTH_TOKEN nobody may use them: 403 naming HEALTH_TOKEN, whatever is sent', async () => {
    const { url } = await start({});
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      for (const headers of [{}, BEARER]) {
        const answer = await maintenance(url, method, { headers, body: method === 'POST' ? WINDOW : undefined });
        expect({ method, status: answer.status }).toEqual({ method, status: 403 });
        expect(answer.body).toEqual({
          statusCode: 403,
          error: 'Forbidden',
          message:
            'this service has no HEALTH_TOKEN: set it (at least 16 printable characters) to use maintenance windows',
        });
      }
    }
    expect((await service!.get('/health')).body).not.toHaveProperty('maintenance');
  });

  it('with a management port they live there only: the main port answers 404 even with the token', async () => {
    const port = await freePort();
    const app = await start({ HEALTH_TOKEN: TOKEN, MANAGEMENT_PORT: String(port) });
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const answer = await maintenance(app.url, method, {
        headers: BEARER,
        body: method === 'POST' ? WINDOW : undefined,
      });
      expect({ method, status: answer.status, body: answer.body }).toEqual({
        method,
        status: 404,
        body: { statusCode: 404, error: 'Not Found', message: `Cannot ${method} /api/v1/health/maintenance` },
      });
    }
    const management = app.managementUrl!;
    expect((await maintenance(management, 'POST', { headers: BEARER, body: WINDOW })).status).toBe(200);
    expect((await maintenance(management, 'POST', { body: WINDOW })).status).toBe(401);
    expect((await maintenance(management, 'GET', { headers: BEARER })).body.reason).toBe('upgrading nmap');
  });

  describe('refuse a window they cannot read, with 400 and the reason', () => {
    let validating: RunningApp | undefined;
    let url: string;
    beforeAll(async () => {
      validating = await startApp({ HEALTH_TOKEN: TOKEN });
      url = validating.url;
    });
    afterAll(async () => validating?.close());

    const past = () => new Date(Date.now() - 60_000).toISOString();
    it.each([
      ['until in the past', () => ({ until: past() }), '"until" is not in the future'],
      [
        'both until and minutes',
        () => ({ until: '2099-01-01T00:00:00Z', minutes: 5 }),
        'give exactly one of "until" and "minutes"',
      ],
      ['neither', () => ({ reason: 'why not' }), 'give exactly one of "until" and "minutes"'],
      ['0 minutes', () => ({ minutes: 0 }), '"minutes" must be a whole number from 1 to 10080'],
      ['more than a week', () => ({ minutes: 10_081 }), '"minutes" must be a whole number from 1 to 10080'],
      ['an unknown field', () => ({ minute: 30 }), 'unknown field "minute"'],
      ['a reason too long', () => ({ minutes: 5, reason: 'x'.repeat(201) }), '"reason" must be at most 200 characters'],
      [
        'a JSON array',
        () => '[30]',
        'the body must be a JSON object such as {"minutes": 30, "reason": "upgrading nmap"}',
      ],
      [
        'no body at all',
        () => undefined,
        'the body must be a JSON object such as {"minutes": 30, "reason": "upgrading nmap"}',
      ],
    ])('%s', async (_case, body, message) => {
      const answer = await maintenance(url, 'POST', { headers: BEARER, body: body() });
      expect(answer).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message } });
      expect((await maintenance(url, 'GET', { headers: BEARER })).status).toBe(404);
    });

    it('a body that is not JSON: 400 with a JSON reason', async () => {
      const answer = await maintenance(url, 'POST', { headers: BEARER, body: '{"minutes": 30' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ statusCode: 400, message: expect.stringMatching(/not valid JSON/) });
    });

    it(`a body over ${REQUEST_BODY_LIMIT} bytes: 413 with a JSON reason, before it is read`, async () => {
      const body = JSON.stringify({ minutes: 5, reason: 'x'.repeat(REQUEST_BODY_LIMIT) });
      const answer = await maintenance(url, 'POST', { headers: BEARER, body });
      expect(answer).toMatchObject({ status: 413, body: { statusCode: 413, message: 'Request body is too large' } });
    });
  });
});

/** What an active window changes in the answers, and what it leaves alone, in each state of the dependencies. */
describe('an active maintenance window in the answers', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;
  beforeAll(async () => {
    deps = await proxyDependencies();
    // A report reused for a minute: the window must show in answers the cache gives out too.
    service = await startApp({ ...deps.env, ...SHORT_TIMEOUTS, HEALTH_TOKEN: TOKEN, HEALTH_CACHE_TTL_MS: '60000' });
    await service.until('healthy');
  });
  afterAll(async () => {
    await service?.close();
    await deps?.close();
  });
  afterEach(async () => {
    await maintenance(service.url, 'DELETE', { headers: BEARER });
  });

  it('the full report carries it at once, the cached report included; the status-only report does not', async () => {
    const cached = await service.get('/health');
    expect(cached.body).not.toHaveProperty('maintenance');
    const started = await maintenance(service.url, 'POST', { headers: BEARER, body: WINDOW });
    const report = await service.get('/health');
    expect(report.body.uptime_seconds).toBe(cached.body.uptime_seconds);
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      ...cached.body,
      maintenance: { until: started.body.until, reason: 'upgrading nmap' },
    });
    expect(Object.keys(report.body)).toEqual(['status', 'version', 'uptime_seconds', 'checks', 'maintenance']);

    const healthJson = await service.get('/health', { accept: 'application/health+json' });
    expect(healthJson.body).toMatchObject({
      status: 'pass',
      notes: [`maintenance until ${started.body.until}: upgrading nmap; notifications are held`],
    });

    await maintenance(service.url, 'DELETE', { headers: BEARER });
    expect((await service.get('/health')).body).toEqual(cached.body);
  });

  it('probes, statuses and codes are unchanged in every state', async () => {
    const fresh = await startApp({ ...deps.env, ...SHORT_TIMEOUTS, HEALTH_TOKEN: TOKEN, HEALTH_CACHE_TTL_MS: '0' });
    try {
      await maintenance(fresh.url, 'POST', { headers: BEARER, body: { minutes: 5 } });
      for (const [db, cache, status, code] of [
        ['pass', 'pass', 'healthy', 200],
        ['pass', 'refuse', 'degraded', 200],
        ['refuse', 'pass', 'unhealthy', 503],
      ] as const) {
        await deps.db.setMode(db);
        await deps.cache.setMode(cache);
        const report = await fresh.until(status);
        expect({ status, code: report.status, maintenance: report.body.maintenance }).toEqual({
          status,
          code,
          maintenance: { until: expect.any(String), reason: null },
        });
        const ready = await fresh.get('/health/ready');
        expect(ready.status).toBe(code);
        expect(ready.body).not.toHaveProperty('maintenance');
        expect((await fresh.get('/health/live')).body).toEqual({ status: 'ok' });
      }
    } finally {
      await deps.db.setMode('pass');
      await deps.cache.setMode('pass');
      await fresh.close();
    }
  });

  it('the CLI table shows it under the header, and exits by the status alone', async () => {
    const started = await maintenance(service.url, 'POST', { headers: BEARER, body: WINDOW });
    const run = await cli(['--url', `${service.url}/api/v1/health`]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[1]).toBe(
      `maintenance: until ${started.body.until}: upgrading nmap (notifications held)`,
    );
  });

  it('the event stream carries it in its evaluation events', async () => {
    const stream = await EventStreamClient.open(`${service.url}/api/v1/health/events`);
    try {
      const started = await maintenance(service.url, 'POST', { headers: BEARER, body: WINDOW });
      // The stream's own loop evaluates every second or so: the next evaluation after the start carries it.
      const event = await stream.next(
        (e) => e.event === 'evaluation' && (JSON.parse(e.data) as { maintenance?: unknown }).maintenance !== undefined,
        'an evaluation event with the maintenance window',
      );
      expect(JSON.parse(event.data)).toMatchObject({
        maintenance: { until: started.body.until, reason: 'upgrading nmap' },
      });
    } finally {
      stream.drop();
    }
  });

  it('metrics say whether a window is active, so alerting rules can hold their alerts too', async () => {
    const gauge = async () =>
      /^secuscan_health_maintenance_active (\d)$/m.exec((await service.get('/metrics')).body.raw as string)?.[1];
    expect(await gauge()).toBe('0');
    await maintenance(service.url, 'POST', { headers: BEARER, body: WINDOW });
    expect(await gauge()).toBe('1');
    await maintenance(service.url, 'DELETE', { headers: BEARER });
    expect(await gauge()).toBe('0');
  });

  it('is over when its until passes, with nothing else to do', async () => {
    const until = new Date(Date.now() + 1_500).toISOString();
    expect((await maintenance(service.url, 'POST', { headers: BEARER, body: { until } })).status).toBe(200);
    expect((await service.get('/health')).body.maintenance).toEqual({ until, reason: null });
    await waitFor(async () => (await maintenance(service.url, 'GET', { headers: BEARER })).status === 404, {
      what: 'the window to be over',
      timeoutMs: 5_000,
    });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));
    expect((await service.get('/health')).body).not.toHaveProperty('maintenance');
  });

  it('shows the status-only report without it, under when-authorized without the token', async () => {
    const guarded = await startApp({
      ...deps.env,
      ...SHORT_TIMEOUTS,
      HEALTH_DETAILS: 'when-authorized',
      HEALTH_TOKEN: TOKEN,
    });
    try {
      await maintenance(guarded.url, 'POST', { headers: BEARER, body: WINDOW });
      const anonymous = await guarded.until('healthy');
      expect(Object.keys(anonymous.body)).toEqual(['status', 'checks']);
      expect((await guarded.get('/health', { accept: 'application/health+json' })).body).not.toHaveProperty('notes');
      expect((await guarded.get('/health', BEARER)).body.maintenance).toEqual({
        until: expect.any(String),
        reason: 'upgrading nmap',
      });
    } finally {
      await guarded.close();
    }
  });
});
