import type { Browser, Page } from 'playwright-core';
import type { Subscription } from 'rxjs';
import { HealthService } from '../src/health';
import { MISDIRECTED_BODY } from '../src/http/host-check';
import { RunningApp, startApp } from './support/app';
import { launchBrowser, newContext } from './support/browser';
import { cli } from './support/cli';
import { expectRun, run, SCRIPT } from './support/healthcheck-run';
import { freePort } from './support/ports';
import { rawRequest } from './support/raw-request';

/** Every route of the contract, an unknown path and the docs: the allow-list runs before routing on all of them. */
const ROUTES = [
  '/api/v1/health',
  '/api/v1/health/live',
  '/api/v1/health/ready',
  '/api/v1/health/plugins',
  '/api/v1/health/plugins/sh',
  '/api/v1/health/history',
  '/api/v1/health/events',
  '/api/v1/metrics',
  '/status',
  '/api/docs',
  '/api/docs-json',
  '/no/such/route',
];

/** Names a page on the web could rebind to loopback: none is an IP literal, single-label or cluster-internal. */
const FOREIGN_HOSTS = [
  'evil.example',
  'EVIL.example.:3000',
  'localhost.evil.example',
  '127.0.0.1.evil.example',
  'api.svc.evil.example',
  'corp.example',
];

/**
 * DNS rebinding: both listeners answer only the hosts HEALTH_ALLOWED_HOSTS allows, with the defaults that keep
 * Kubernetes probes, compose healthchecks, people on loopback, the CLI and the container healthcheck working.
 * Requests are written byte for byte on a socket, so the `Host` is exactly the one a probe, a browser or an
 * attacker would send.
 */
describe('Host allow-list', () => {
  let service: RunningApp;
  let main: number;
  let management: number;

  /** GET `path` on `port` with `host` (no Host line when undefined) over HTTP/1.1 or 1.0. */
  const get = (port: number, path: string, host: string | undefined, version = '1.1', extra: string[] = []) =>
    rawRequest(port, [
      `GET ${path} HTTP/${version}`,
      ...(host === undefined ? [] : [`Host: ${host}`]),
      'Connection: close',
      ...extra,
    ]);

  beforeAll(async () => {
    management = await freePort();
    service = await startApp({
      MANAGEMENT_PORT: String(management),
      HEALTH_ALLOWED_HOSTS: 'health.example.com, *.corp.example',
      HEALTH_PUBLIC_URL: 'https://status.example.net/secuscan/',
      // Every report request evaluates, so a request that reached the route would show as an evaluation.
      HEALTH_CACHE_TTL_MS: '0',
    });
    main = Number(new URL(service.url).port);
    await service.until('healthy');
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers Kubernetes probes, whose Host is the pod IP and the port, on both listeners', async () => {
    for (const [port, host] of [
      [main, '10.1.2.3:3000'],
      [management, '10.1.2.3:9000'],
      [management, '[fd00:10:244::7]:9000'],
    ] as const) {
      expect([host, (await get(port, '/api/v1/health/live', host)).status]).toEqual([host, 200]);
      expect([host, (await get(port, '/api/v1/health/ready', host)).status]).toEqual([host, 200]);
      expect([host, (await get(port, '/api/v1/health', host)).status]).toEqual([host, 200]);
    }
  });

  it('answers compose healthchecks, Services and people on loopback by name', async () => {
    for (const host of [
      'api:3000',
      'api',
      'localhost',
      'localhost:3000',
      'LOCALHOST.',
      '127.0.0.1:3000',
      '[::1]:3000',
      'secuscan_api_1:3000',
      'secuscan-health-status.secuscan.svc:9000',
      'secuscan-health-status.secuscan.svc.cluster.local:9000',
      'health.internal',
    ]) {
      expect([host, (await get(management, '/api/v1/health', host)).status]).toEqual([host, 200]);
      expect([host, (await get(main, '/api/v1/health/ready', host)).status]).toEqual([host, 200]);
    }
  });

  it('answers the configured names, patterns and the host of HEALTH_PUBLIC_URL', async () => {
    for (const host of ['health.example.com', 'Health.Example.COM.:8443', 'a.corp.example', 'status.example.net']) {
      expect([host, (await get(management, '/api/v1/health', host)).status]).toEqual([host, 200]);
    }
  });

  it('answers HTTP/1.0 without Host (no browser sends that); Node refuses HTTP/1.1 without one', async () => {
    expect((await get(management, '/api/v1/health/live', undefined, '1.0')).status).toBe(200);
    expect((await get(main, '/api/v1/health', undefined, '1.0')).status).toBe(200);
    expect((await get(main, '/api/v1/health/live', undefined, '1.1')).status).toBe(400);
  });

  it('refuses any other Host with a bare 421 on every route of both listeners, unknown paths included', async () => {
    for (const port of [main, management]) {
      for (const path of ROUTES) {
        for (const host of FOREIGN_HOSTS) {
          const answer = await get(port, path, host);
          expect([port, path, host, answer.status, answer.body]).toEqual([
            port,
            path,
            host,
            421,
            JSON.stringify(MISDIRECTED_BODY),
          ]);
        }
      }
    }
  });

  it('refuses HEAD, OPTIONS and POST alike, a bearer token or not', async () => {
    for (const method of ['HEAD', 'OPTIONS', 'POST']) {
      for (const extra of [[], ['Authorization: Bearer 0123456789abcdef0123']]) {
        const answer = await rawRequest(main, [
          `${method} /api/v1/health HTTP/1.1`,
          'Host: evil.example',
          'Connection: close',
          ...extra,
        ]);
        const body = method === 'HEAD' ? '' : JSON.stringify(MISDIRECTED_BODY);
        expect([method, answer.status, answer.body]).toEqual([method, 421, body]);
      }
    }
  });

  it('judges an absolute-form target by its authority, as RFC 9112 has an origin server do', async () => {
    const absolute = (authority: string, host: string) =>
      rawRequest(main, [`GET http://${authority}/api/v1/health/live HTTP/1.1`, `Host: ${host}`, 'Connection: close']);
    expect((await absolute('evil.example', 'localhost')).status).toBe(421);
    expect((await absolute('localhost:3000', 'evil.example')).status).toBe(200);
  });

  it('runs no route work for a refused request: no evaluation starts', async () => {
    const evaluations: unknown[] = [];
    const subscription: Subscription = service.app
      .get(HealthService)
      .evaluations$.subscribe((snapshot) => evaluations.push(snapshot));
    try {
      for (let i = 0; i < 5; i++) expect((await get(main, '/api/v1/health', 'evil.example')).status).toBe(421);
      expect(evaluations).toHaveLength(0);
      // The same request from an allowed host does reach the route.
      expect((await get(main, '/api/v1/health', 'localhost')).status).toBe(200);
      expect(evaluations).toHaveLength(1);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('builds links from HEALTH_PUBLIC_URL, never from the Host', async () => {
    for (const host of ['health.example.com', '127.0.0.1:3000']) {
      const answer = await get(management, '/api/v1/health', host, '1.1', ['Accept: application/health+json']);
      expect(JSON.parse(answer.body).links).toEqual({
        about: 'https://status.example.net/secuscan/api/docs',
        self: 'https://status.example.net/secuscan/api/v1/health',
      });
    }
  });

  it('the built CLI keeps working by IP and by localhost, on both ports', async () => {
    for (const url of [`http://localhost:${management}`, `http://127.0.0.1:${management}/api/v1/health`]) {
      const run = await cli(['--url', url]);
      expect([url, run.code, run.stderr]).toEqual([url, 0, '']);
      expect(run.stdout).toMatch(/^status: healthy/);
    }
    const plugins = await cli(['plugins', '--url', `http://localhost:${management}`]);
    expect(plugins).toMatchObject({ code: 0, stderr: '' });
  });

  it('the container healthcheck keeps working with the compose environment and with a localhost URL', async () => {
    expectRun(await run(SCRIPT, { PORT: String(main), MANAGEMENT_PORT: String(management) }), 0, 'healthy 200');
    expectRun(await run(SCRIPT, { HEALTHCHECK_URL: `http://localhost:${main}/api/v1/health` }), 0, 'healthy 200');
  });
  describe('in Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      // evil.example resolves to loopback, as a rebinding page's name does once it has rebound.
      browser = await launchBrowser(['--host-resolver-rules=MAP evil.example 127.0.0.1']);
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** A page of a fresh context, closed after `use` whatever happens. */
    async function withPage(use: (page: Page) => Promise<void>): Promise<void> {
      const context = await newContext(browser);
      try {
        await use(await context.newPage());
      } finally {
        await context.close();
      }
    }

    it.each(['127.0.0.1', 'localhost'])('the status page goes live and Swagger UI loads at http://%s', (name) =>
      withPage(async (page) => {
        await page.goto(`http://${name}:${management}/status`);
        await page.locator('#overall[data-status="healthy"]').waitFor();
        await page.locator('#connection[data-state="live"]').waitFor();
        await page.goto(`http://${name}:${main}/api/docs`);
        await page.locator('#operations-health-HealthController_report').waitFor();
        await expect(page.evaluate(async () => (await fetch('/api/v1/health')).status)).resolves.toBe(200);
      }),
    );

    it('a page served from a rebound name reads nothing: its document and its fetches get 421', () =>
      withPage(async (page) => {
        const document = await page.goto(`http://evil.example:${management}/status`);
        expect(document?.status()).toBe(421);
        const statuses = await page.evaluate(() =>
          Promise.all(
            ['/api/v1/health', '/api/v1/health/plugins', '/api/v1/health/history', '/api/v1/metrics'].map(
              async (path) => (await fetch(path)).status,
            ),
          ),
        );
        expect(statuses).toEqual([421, 421, 421, 421]);
      }));
  });
});
