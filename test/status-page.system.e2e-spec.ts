import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DIAGNOSTICS_EXAMPLE } from '../src/plugins/diagnostics/plugin-diagnostics.examples';
import { RunningApp, startApp } from './support/app';
import { launchBrowser, newContext, recordErrors } from './support/browser';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { EventStreamClient } from './support/event-stream';
import { FaultProxy } from './support/fault-proxy';
import { FLAPPING_CHECK, flap } from './support/flapping-check';
import { waitFor } from './support/wait';

/**
 * Screenshots go to `.artifacts/status-page` (git-ignored); `STATUS_SCREENSHOTS_DIR=docs` refreshes the ones
 * docs/operations.md shows.
 */
const SHOTS = process.env.STATUS_SCREENSHOTS_DIR ?? join(__dirname, '..', '.artifacts', 'status-page');
const AXE = require.resolve('axe-core/axe.min.js');
const NARROW = { width: 390, height: 844 };
const WIDE = { width: 1280, height: 900 };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Full-page screenshots of `page` at a phone's and a desktop's width. */
async function screenshots(page: Page, state: string): Promise<void> {
  for (const [name, size] of [
    ['narrow', NARROW],
    ['wide', WIDE],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `status-page-${state}-${name}.png`), fullPage: true });
  }
}

/** What axe-core finds serious or critical on `page` as it is now. */
async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // The page's CSP refuses an injected <script> (addScriptTag), as it should; evaluation from the test is exempt.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(await readFile(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const runner = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await runner.run()).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The page's requests for the event stream, with every header the browser sent. */
interface StreamRequest {
  readonly resourceType: string;
  readonly headers: Record<string, string>;
}

/** Records the page's event stream requests from now on. */
function recordStreamRequests(page: Page): StreamRequest[] {
  const seen: StreamRequest[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/api/v1/health/events')) return;
    void request.allHeaders().then((headers) => seen.push({ resourceType: request.resourceType(), headers }));
  });
  return seen;
}

/**
 * The app configured by `env`, healthy, on the real PostgreSQL and Redis through fault proxies, and behind a proxy of
 * its own (`front`) so a test can cut the page's stream.
 */
async function startFronted(
  env: Record<string, string>,
): Promise<{ deps: ProxiedDependencies; service: RunningApp; front: FaultProxy }> {
  const deps = await proxyDependencies();
  const service = await startApp({ ...deps.env, ...env });
  await service.until('healthy');
  const address = service.app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const front = await FaultProxy.start({ host: '127.0.0.1', port: address.port });
  return { deps, service, front };
}

/** A page in a fresh context of the shared browser; console errors and script errors are pushed to the two lists. */
async function openPage(
  consoleErrors: string[],
  pageErrors: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  recordErrors(page, consoleErrors, pageErrors);
  return { context, page };
}

// One browser for the suites below; each takes a fresh context of its own (its own storage, as a new profile).
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * The status page in Debian's Chromium, live against the real service: the database and cache are cut through fault
 * proxies while the page stays open, and the page itself is reached through a proxy so the test can cut its stream.
 */
describe('status page in a real browser', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;
  let front: FaultProxy;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  const overall = () => page.locator('#overall');
  const untilOverall = (status: string, timeout = 10_000) =>
    page.locator(`#overall[data-status="${status}"][data-stale="false"]`).waitFor({ timeout });
  const timelineStatuses = async () => {
    const items = page.locator('#timeline > li');
    const statuses: Array<string | null> = [];
    for (let i = 0; i < (await items.count()); i++) statuses.push(await items.nth(i).getAttribute('data-status'));
    return statuses;
  };

  const shoot = (state: string) => screenshots(page, state);
  const axe = () => seriousViolations(page);

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    ({ deps, service, front } = await startFronted({}));
    ({ context, page } = await openPage(consoleErrors, pageErrors));
  });
  afterAll(async () => {
    await context?.close();
    await front?.close();
    await service?.close();
    await deps?.close();
  });

  it('serves its own files, outside the API prefix, with validators', async () => {
    for (const [path, type] of [
      ['/status', 'text/html; charset=utf-8'],
      ['/status/status.js', 'text/javascript; charset=utf-8'],
      ['/status/sse.js', 'text/javascript; charset=utf-8'],
      ['/status/status.css', 'text/css; charset=utf-8'],
    ]) {
      const first = await fetch(`${service.url}${path}`);
      expect([path, first.status, first.headers.get('content-type')]).toEqual([path, 200, type]);
      expect(first.headers.get('x-content-type-options')).toBe('nosniff');
      const etag = first.headers.get('etag')!;
      const again = await fetch(`${service.url}${path}`, { headers: { 'if-none-match': etag } });
      expect([path, again.status]).toEqual([path, 304]);
    }
    expect((await fetch(`${service.url}/api/v1/status`)).status).toBe(404);
    expect((await fetch(`${service.url}/status/other.js`)).status).toBe(404);
    const html = await (await fetch(`${service.url}/status`)).text();
    // Nothing from elsewhere: every script and style sheet is the service's own.
    expect(html.match(/(?:src|href)="[^"]*"/g)?.filter((ref) => /https?:/.test(ref))).toEqual([]);
  });

  it('loads every module of the page, each served as JavaScript with a validator, with no CSP violation', async () => {
    const errors: string[] = [];
    const { context: own, page: fresh } = await openPage(errors, errors);
    try {
      // Injected by the test runner, not the page, so the page's CSP does not apply to it.
      await fresh.addInitScript(
        'globalThis.violations = []; document.addEventListener("securitypolicyviolation", ' +
          '(e) => globalThis.violations.push(`${e.violatedDirective} ${e.blockedURI}`));',
      );
      const scripts = new Map<string, [number, string | undefined, string | undefined]>();
      fresh.on('response', (response) => {
        if (response.request().resourceType() !== 'script') return;
        const headers = response.headers();
        scripts.set(new URL(response.url()).pathname, [response.status(), headers['content-type'], headers.etag]);
      });
      await fresh.goto(`${service.url}/status`);
      await fresh.locator('#overall[data-status="healthy"]').waitFor();
      await fresh.locator('#connection[data-state="live"]').waitFor();
      const modules = (await readdir(join(__dirname, '..', 'src', 'status', 'page'))).filter((f) => f.endsWith('.js'));
      expect([...scripts.keys()].sort()).toEqual(modules.map((f) => `/status/${f}`).sort());
      for (const [path, [status, type, etag]] of scripts) {
        expect([path, status, type, etag]).toEqual([path, 200, 'text/javascript; charset=utf-8', expect.any(String)]);
      }
      expect(await fresh.evaluate(() => (globalThis as unknown as { violations: string[] }).violations)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('serves the page with a strict CSP and shows every check healthy, live', async () => {
    const streams = recordStreamRequests(page);
    const response = await page.goto(`http://127.0.0.1:${front.port}/status`);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['cache-control']).toBe('no-cache');
    await untilOverall('healthy');
    await expect(page.locator('#connection').textContent()).resolves.toBe('Live');
    // No token needed: no form, no token sent, and the one stream reader (fetch, not EventSource).
    await expect(page.locator('#auth').isHidden()).resolves.toBe(true);
    await expect(page.locator('#forget-token').isHidden()).resolves.toBe(true);
    await waitFor(() => streams.length > 0, { what: 'the stream request recorded' });
    expect(streams[0].resourceType).toBe('fetch');
    expect(streams[0].headers.authorization).toBeUndefined();
    await expect(page.locator('#checks > li h3').allTextContents()).resolves.toEqual(['database', 'cache', 'plugins']);
    await expect(page.locator('#checks svg[role="img"]').count()).resolves.toBe(3);
    await expect(timelineStatuses()).resolves.toEqual(['healthy']);
    // The plugin diagnostics of the service: its one plugin needs only sh.
    await page.locator('#plugins').getByText('1 of 1 plugins runnable').waitFor();
    await page.keyboard.press('Tab');
    await expect(page.locator(':focus').textContent()).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect(page.locator(':focus').getAttribute('id')).resolves.toBe('main');
    await shoot('healthy');
  });

  it('has no serious or critical accessibility violation, light or dark', async () => {
    expect(await axe()).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axe()).toEqual([]);
    await page.setViewportSize(WIDE);
    await page.screenshot({ path: join(SHOTS, 'status-page-healthy-dark-wide.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('the cache cut off: degraded, with the reason in the card and the timeline', async () => {
    await deps.cache.setMode('refuse');
    await untilOverall('degraded');
    await expect(page.locator('#checks > li[data-status="error"] h3').allTextContents()).resolves.toEqual(['cache']);
    await expect(timelineStatuses()).resolves.toEqual(['degraded', 'healthy']);
    await expect(page.locator('#timeline > li').first().textContent()).resolves.toMatch(/since .*: cache: /);
    expect(await axe()).toEqual([]);
    await shoot('degraded');
  });

  it('the database cut off: unhealthy within 3 s without a reload, announced, and back to healthy', async () => {
    await deps.cache.setMode('pass');
    await untilOverall('healthy');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    const cutAt = performance.now();
    await deps.db.setMode('refuse');
    await untilOverall('unhealthy', 3000);
    expect(performance.now() - cutAt).toBeLessThan(3000);
    await expect(timelineStatuses()).resolves.toEqual(['unhealthy', 'healthy', 'degraded', 'healthy']);
    await expect(page.locator('#overall-reason').textContent()).resolves.toMatch(/^database: /);
    await expect(page.locator('#announcer').textContent()).resolves.toMatch(/^Status changed to unhealthy: database: /);
    // The finished degraded spell now has its length: "degraded for 3 s: cache: ...".
    await expect(page.locator('#timeline > li').nth(2).textContent()).resolves.toMatch(/Degraded for \d+ s: cache: /);
    await shoot('unhealthy');

    await deps.db.setMode('pass');
    await untilOverall('healthy');
    await expect(timelineStatuses()).resolves.toHaveLength(5);
    expect(navigations).toEqual([]);
  });

  it('says when it has lost the stream, and reconnects by itself', async () => {
    await front.setMode('refuse');
    await page.locator('#connection[data-state="lost"]').waitFor({ timeout: 5000 });
    await expect(page.locator('#connection').textContent()).resolves.toMatch(/Live updates lost/);
    await expect(overall().getAttribute('data-stale')).resolves.toBe('true');
    await expect(page.locator('#overall-status').textContent()).resolves.toBe('Healthy (last known)');
    await front.setMode('pass');
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 10_000 });
    await untilOverall('healthy');
    await waitFor(async () => (await timelineStatuses()).length === 5, { what: 'the timeline reloaded' });
  });

  it('renders plugin diagnostics with install hints when the service serves them', async () => {
    // The route's documented answer, richer than the test service's one-plugin folder: blocked, disabled, invalid.
    await page.route('**/api/v1/health/plugins', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(DIAGNOSTICS_EXAMPLE) }),
    );
    await page.reload();
    await untilOverall('healthy');
    const table = page.getByRole('table', { name: 'To install' });
    await table.waitFor();
    await expect(table.locator('tbody tr').first().textContent()).resolves.toContain('sudo apt-get install -y nmap');
    await expect(page.getByRole('table', { name: 'Plugins' }).locator('tbody tr').count()).resolves.toBe(3);
    await expect(page.locator('#plugins p').first().textContent()).resolves.toBe(
      '1 of 3 plugins runnable · 1 blocked · 1 disabled · 1 invalid',
    );
    expect(await axe()).toEqual([]);
    await page.setViewportSize(WIDE);
    await page.screenshot({ path: join(SHOTS, 'status-page-plugins-wide.png'), fullPage: true });
    await page.unroute('**/api/v1/health/plugins');
  });

  /** What the chart read needs of a DOM element (the test compiles without the DOM's types). */
  interface SvgElement {
    getAttribute(name: string): string | null;
    querySelector(selector: string): SvgElement | null;
    querySelectorAll(selector: string): Iterable<SvgElement>;
  }

  it('shows the plugin counts of the first report while the plugin list is on its way, then the list', async () => {
    const errors: string[] = [];
    const { context: own, page: fresh } = await openPage(errors, errors);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    try {
      // The diagnostics answer only when the test says so: the page must not sit on "Loading…" meanwhile.
      await fresh.route('**/api/v1/health/plugins', async (route) => {
        await held;
        await route.continue();
      });
      await fresh.goto(`${service.url}/status`);
      await fresh.locator('#overall[data-status="healthy"]').waitFor();
      const plugins = fresh.locator('#plugins');
      await plugins.getByText('1 of 1 plugins runnable · 0 blocked · 0 disabled · 0 invalid').waitFor();
      await expect(plugins.textContent()).resolves.toContain('Fetching the list of plugins…');
      release();
      await fresh.getByRole('table', { name: 'Plugins' }).waitFor();
      await expect(plugins.textContent()).resolves.not.toContain('Fetching');
      expect(errors).toEqual([]);
    } finally {
      release();
      await own.close();
    }
  });

  it.each([
    ['an hour fast', 3_600_000],
    ['an hour slow', -3_600_000],
  ])('draws the points the service keeps over its window, with a browser clock %s', async (_, skewMs) => {
    // The window is the service's, on its clock: a page that trimmed or placed points by its own clock would drop
    // the history when fast and draw it off the chart when slow.
    const errors: string[] = [];
    const { context: own, page: skewed } = await openPage(errors, errors);
    let listener: EventStreamClient | undefined;
    try {
      // A listener keeps the service evaluating every second, so its history holds points to draw.
      listener = await EventStreamClient.open(`${service.url}/api/v1/health/events`);
      const kept = await waitFor(
        async () => {
          const points: number = (await service.get('/health/history')).body.series.database.length;
          return points > 10 && points;
        },
        { what: 'more than 10 points in the history', timeoutMs: 20_000 },
      );
      await skewed.clock.install({ time: Date.now() + skewMs });
      await skewed.goto(`${service.url}/status`);
      await skewed.locator('#connection[data-state="live"]').waitFor();
      const chart = skewed.locator('#checks > li').first().locator('svg');
      // Two more evaluations shown: at least one came live, after its `series` event (the service's points and window).
      const updated = async () =>
        /updated (.*)$/.exec((await skewed.locator('#overall-meta').textContent()) ?? '')?.[1];
      const liveFrom = Date.now();
      for (let i = 0; i < 2; i++) {
        const before = await updated();
        await waitFor(async () => (await updated()) !== before, { what: 'a live evaluation' });
      }
      // "updated" is when the service evaluated the report, on its clock, not the browser's idea of now.
      const seconds = Array.from(
        { length: Math.ceil((Date.now() - liveFrom) / 1000) + 2 },
        (_, i) => liveFrom + i * 1000,
      );
      const serviceTimes = await skewed.evaluate(
        (times) =>
          times.map((t) =>
            new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
          ),
        seconds,
      );
      expect(serviceTimes).toContain(await updated());
      // One read of one chart: every live evaluation draws a new one, with a wider span while the series is young.
      const drawn = await chart.evaluate((svg: SvgElement) => ({
        viewBox: svg.getAttribute('viewBox') ?? '',
        line: svg.querySelector('path')?.getAttribute('d') ?? '',
        bars: [...svg.querySelectorAll('rect')].map((bar) => Number(bar.getAttribute('x'))),
      }));
      const width = Number(drawn.viewBox.split(' ')[2]);
      const xs = [...drawn.line.matchAll(/[ML](-?[\d.]+),/g)].map((m) => Number(m[1]));
      xs.push(...drawn.bars);
      // Every point the history held is still drawn (none dropped by the browser's own clock), inside the chart.
      expect(xs.length).toBeGreaterThanOrEqual(kept);
      expect(xs.filter((x) => x < 0 || x > width)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      listener?.drop();
      await own.close();
    }
  });

  it('ran without a CSP violation or script error', () => {
    expect(pageErrors).toEqual([]);
    // Failed loads are expected: the refused stream, and the plugin diagnostics route where it is not served.
    expect(consoleErrors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });
});

/**
 * The page away while thousands of transitions happen (a check that fails every other evaluation, evaluated in
 * process): on its return the service cannot replay them all and sends a `reset` with the latest 100, which the page
 * shows at once (the history it asks for too is held back by the test until then), then the history's 500.
 */
describe('status page back after missing more transitions than a stream replays', () => {
  let service: RunningApp;
  let front: FaultProxy;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  const timelineLength = () => page.locator('#timeline > li').count();

  beforeAll(async () => {
    service = await startApp({ HEALTH_CACHE_TTL_MS: '0', HEALTH_HISTORY_SIZE: '10000' }, { checks: [FLAPPING_CHECK] });
    await flap(service, 10);
    const address = service.app.getHttpServer().address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    front = await FaultProxy.start({ host: '127.0.0.1', port: address.port });
    ({ context, page } = await openPage(consoleErrors, pageErrors));
  });
  afterAll(async () => {
    await context?.close();
    await front?.close();
    await service?.close();
  });

  it('shows the latest 100 transitions the reset brings, then the history, and stays live', async () => {
    await page.goto(`http://127.0.0.1:${front.port}/status`);
    await page.locator('#connection[data-state="live"]').waitFor();
    const before = await timelineLength();
    expect(before).toBeLessThan(100);

    await front.setMode('refuse');
    await page.locator('#connection[data-state="lost"]').waitFor({ timeout: 5000 });
    await flap(service, 5000);
    // The page's history requests wait until the test lets them through: what it shows meanwhile came on the stream.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/health/history', async (route) => {
      await held;
      await route.continue();
    });
    const resumes: Array<{ lastEventId?: string; status: number }> = [];
    page.on('response', (response) => {
      if (!response.url().endsWith('/api/v1/health/events')) return;
      resumes.push({ lastEventId: response.request().headers()['last-event-id'], status: response.status() });
    });
    try {
      await front.setMode('pass');
      await page.locator('#connection[data-state="live"]').waitFor({ timeout: 15_000 });
      expect(resumes[0]).toEqual({ lastEventId: expect.stringMatching(/^\d+$/), status: 200 });
      // The reset's 100, plus whatever transitions arrived live since (one a second here).
      await waitFor(async () => (await timelineLength()) >= 100, { what: 'the reset shown on the timeline' });
      expect(await timelineLength()).toBeLessThan(110);
    } finally {
      release();
    }
    await waitFor(async () => (await timelineLength()) === 500, { what: 'the history shown on the timeline' });
    await expect(page.locator('#connection').getAttribute('data-state')).resolves.toBe('live');
    await page.unroute('**/api/v1/health/history');
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });
});

const TOKEN = 'status-page-token-0123456789';
const BEARER = { authorization: `Bearer ${TOKEN}` };

/**
 * HEALTH_DETAILS=when-authorized: a browser cannot send a bearer header when it navigates, so `/status` answers 401
 * with the page itself, whose script asks for the token, keeps it for the tab and sends it on every request,
 * reading the event stream with fetch() since EventSource sends no headers.
 */
describe('status page when a token is required', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;
  let front: FaultProxy;
  let context: BrowserContext;
  let page: Page;
  let streams: StreamRequest[];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  const pageUrl = () => `http://127.0.0.1:${front.port}/status`;
  const tokenInput = () => page.getByLabel('Health token', { exact: true });
  const untilOverall = (status: string, timeout = 10_000) =>
    page.locator(`#overall[data-status="${status}"][data-stale="false"]`).waitFor({ timeout });
  const stored = () =>
    page.evaluate(() => ({
      session: sessionStorage.getItem('secuscan-health-token'),
      local: localStorage.length,
    }));

  beforeAll(async () => {
    ({ deps, service, front } = await startFronted({ HEALTH_DETAILS: 'when-authorized', HEALTH_TOKEN: TOKEN }));
    ({ context, page } = await openPage(consoleErrors, pageErrors));
    streams = recordStreamRequests(page);
  });
  afterAll(async () => {
    await context?.close();
    await front?.close();
    await service?.close();
    await deps?.close();
  });

  it('answers 401 with WWW-Authenticate: Bearer and the same data-free page; its files stay public', async () => {
    const refused = await fetch(`${service.url}/status`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(refused.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(refused.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(refused.headers.get('etag')).toBeNull();
    const granted = await fetch(`${service.url}/status`, { headers: BEARER });
    expect(granted.status).toBe(200);
    expect(await refused.text()).toBe(await granted.text());
    for (const file of ['status.js', 'sse.js', 'status.css']) {
      expect([file, (await fetch(`${service.url}/status/${file}`)).status]).toEqual([file, 200]);
    }
    for (const path of ['/history', '/events']) {
      const answer = await service.get(`/health${path}`);
      expect([path, answer.status, answer.headers.get('www-authenticate')]).toEqual([
        path,
        401,
        'Bearer realm="secuscan-health"',
      ]);
    }
    expect((await service.get('/health/history', BEARER)).status).toBe(200);
  });

  it('asks for the token with an accessible form, light and dark', async () => {
    const response = await page.goto(pageUrl());
    expect(response?.status()).toBe(401);
    await tokenInput().waitFor();
    await expect(tokenInput().getAttribute('type')).resolves.toBe('password');
    // The form takes the focus, so a keyboard or screen reader user lands on it.
    await expect(page.locator(':focus').getAttribute('id')).resolves.toBe('token');
    await expect(page.locator('#dashboard').isHidden()).resolves.toBe(true);
    await expect(page.locator('#connection').textContent()).resolves.toBe('Token required');
    await expect(page.locator('#token-error').textContent()).resolves.toBe('');
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshots(page, 'token');
  });

  it('says so when the token is wrong, and asks again', async () => {
    await tokenInput().fill('not-the-token-0123456789');
    await page.keyboard.press('Enter');
    const error = page.locator('#token-error');
    await page.locator('#token-error:not(:empty)').waitFor();
    await expect(error.textContent()).resolves.toMatch(/did not accept that token/);
    await expect(error.getAttribute('role')).resolves.toBe('alert');
    await expect(tokenInput().getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(tokenInput().inputValue()).resolves.toBe('');
    await expect(page.locator(':focus').getAttribute('id')).resolves.toBe('token');
    await expect(page.locator('#dashboard').isHidden()).resolves.toBe(true);
    await expect(stored()).resolves.toEqual({ session: null, local: 0 });
    expect(await context.cookies()).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);
    await page.screenshot({ path: join(SHOTS, 'status-page-token-wrong-wide.png'), fullPage: true });
  });

  it('with the right token shows the live page, the token kept for this tab only', async () => {
    const before = streams.length;
    await tokenInput().focus();
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await untilOverall('healthy');
    await page.locator('#connection[data-state="live"]').waitFor();
    await expect(page.locator('#auth').isHidden()).resolves.toBe(true);
    await expect(page.locator('#checks > li h3').allTextContents()).resolves.toEqual(['database', 'cache', 'plugins']);
    await expect(stored()).resolves.toEqual({ session: TOKEN, local: 0 });
    expect(await context.cookies()).toEqual([]);
    await waitFor(() => streams.length > before, { what: 'the stream request recorded' });
    expect(streams[before].resourceType).toBe('fetch');
    expect(streams[before].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('a transition arrives live over the fetch-read stream', async () => {
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await deps.cache.setMode('refuse');
    await untilOverall('degraded');
    await expect(page.locator('#checks > li[data-status="error"] h3').allTextContents()).resolves.toEqual(['cache']);
    await expect(page.locator('#timeline > li').first().getAttribute('data-status')).resolves.toBe('degraded');
    await expect(page.locator('#announcer').textContent()).resolves.toMatch(/^Status changed to degraded: cache: /);
    await deps.cache.setMode('pass');
    await untilOverall('healthy');
    expect(navigations).toEqual([]);
  });

  it('after losing the stream reconnects with Last-Event-ID and the token', async () => {
    const before = streams.length;
    await front.setMode('refuse');
    await page.locator('#connection[data-state="lost"]').waitFor({ timeout: 5000 });
    await expect(page.locator('#connection').textContent()).resolves.toMatch(/^Live updates lost — retrying in \d+ s$/);
    await expect(page.locator('#overall').getAttribute('data-stale')).resolves.toBe('true');
    await front.setMode('pass');
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 15_000 });
    await untilOverall('healthy');
    const resumed = await waitFor(
      () => streams.slice(before).find((request) => request.headers['last-event-id'] !== undefined),
      { what: 'a stream request with Last-Event-ID' },
    );
    expect(resumed.headers['last-event-id']).toMatch(/^\d+$/);
    expect(resumed.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('keeps the token across a reload of the tab, and forgets it on request', async () => {
    const response = await page.reload();
    // The navigation itself carries no token: the page answers 401 and its script goes on with the kept token.
    expect(response?.status()).toBe(401);
    await untilOverall('healthy');
    await expect(page.locator('#auth').isHidden()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Forget token' }).click();
    await tokenInput().waitFor();
    await expect(page.locator('#token-error').textContent()).resolves.toBe('');
    await expect(stored()).resolves.toEqual({ session: null, local: 0 });
    await expect(page.locator('#dashboard').isHidden()).resolves.toBe(true);
    // Nothing shown with the token stays behind the form, not even in the title.
    await expect(page.locator('#checks > li').count()).resolves.toBe(0);
    await expect(page.locator('#timeline > li').count()).resolves.toBe(0);
    await expect(page.title()).resolves.toBe('Token required — SecuScan health');
  });

  it('ran without a CSP violation or script error', () => {
    expect(pageErrors).toEqual([]);
    // Failed loads are expected: the refused requests (401), the cut stream and the unserved plugin diagnostics.
    expect(consoleErrors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });
});

describe('status page when details are never shown', () => {
  let service: RunningApp;

  beforeAll(async () => {
    service = await startApp({ HEALTH_DETAILS: 'never' });
  });
  afterAll(async () => service?.close());

  it('answers 404 for the page, its files, the history and the event stream, with or without a token', async () => {
    for (const path of [
      '/status',
      '/status/status.js',
      '/status/sse.js',
      '/api/v1/health/history',
      '/api/v1/health/events',
    ]) {
      const answer = await fetch(`${service.url}${path}`, { headers: BEARER });
      expect([path, answer.status, answer.headers.get('www-authenticate')]).toEqual([path, 404, null]);
      expect(await answer.json()).toEqual({ message: `Cannot GET ${path}`, error: 'Not Found', statusCode: 404 });
    }
  });
});
