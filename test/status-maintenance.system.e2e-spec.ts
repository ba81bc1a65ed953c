import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RunningApp, startApp } from './support/app';
import { launchBrowser, newContext, recordErrors } from './support/browser';
import { maintenance } from './support/maintenance';

const SHOTS = process.env.STATUS_SCREENSHOTS_DIR ?? join(__dirname, '..', '.artifacts', 'status-page');
const AXE = require.resolve('axe-core/axe.min.js');
const TOKEN = 'maintenance-token-0123456789';
const BEARER = { authorization: `Bearer ${TOKEN}` };
/** A reason that would run a script if it ever became markup, and reorder the line if shown raw. */
const HOSTILE_REASON = '<img src=x onerror="globalThis.pwned=1"> upgrading nmap & co \u202egnp.exe';

/**
 * The maintenance banner of the status page in Debian's Chromium, against the real service. The report is reused
 * for a minute, so the banner can only follow a start or an end at once if the service pushes it.
 */
describe('status page during a maintenance window', () => {
  let browser: Browser;
  let service: RunningApp;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  const banner = () => page.locator('#maintenance');
  const axe = async (): Promise<Array<{ id: string; impact: string | null }>> => {
    if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(await readFile(AXE, 'utf8'));
    const violations = await page.evaluate(async () => {
      type Run = { violations: Array<{ id: string; impact: string | null }> };
      return (await (globalThis as unknown as { axe: { run(): Promise<Run> } }).axe.run()).violations;
    });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(({ id, impact }) => ({ id, impact }));
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    service = await startApp({ HEALTH_TOKEN: TOKEN, HEALTH_CACHE_TTL_MS: '60000' });
    await service.until('healthy');
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    recordErrors(page, errors);
    await page.addInitScript(
      'document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP ${e.violatedDirective}`));',
    );
    await page.goto(`${service.url}/status`);
    await page.locator('#overall[data-status="healthy"]').waitFor();
    await page.locator('#connection[data-state="live"]').waitFor();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await service?.close();
  });
  afterEach(async () => {
    await maintenance(service.url, 'DELETE', { headers: BEARER });
  });

  it('shows no banner while no window is active', async () => {
    await expect(banner().isHidden()).resolves.toBe(true);
  });

  it('shows the window within seconds of its start, the reason as text, and announces it', async () => {
    const started = await maintenance(service.url, 'POST', {
      headers: BEARER,
      body: { minutes: 90, reason: HOSTILE_REASON },
    });
    expect(started.status).toBe(200);
    await banner().waitFor({ state: 'visible', timeout: 5_000 });
    const text = await page.locator('#maintenance-text').textContent();
    expect(text).toMatch(/^Until .+ \(1 h (29|30) min left\) — /);
    expect(text).toContain(HOSTILE_REASON.replace('\u202e', '\\u202e'));
    await expect(page.locator('#maintenance img').count()).resolves.toBe(0);
    await expect(page.evaluate(() => 'pwned' in globalThis)).resolves.toBe(false);
    await expect(page.locator('#announcer').textContent()).resolves.toBe('A maintenance window started');
    // Probes and statuses are unchanged: the page still says healthy.
    await expect(page.locator('#overall').getAttribute('data-status')).resolves.toBe('healthy');
    expect(await axe()).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axe()).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('hides it within seconds of its end', async () => {
    await maintenance(service.url, 'POST', { headers: BEARER, body: { minutes: 30, reason: 'upgrading nmap' } });
    await banner().waitFor({ state: 'visible', timeout: 5_000 });
    await page.screenshot({ path: join(SHOTS, 'status-page-maintenance-wide.png'), fullPage: true });
    expect((await maintenance(service.url, 'DELETE', { headers: BEARER })).status).toBe(200);
    await banner().waitFor({ state: 'hidden', timeout: 5_000 });
    await expect(page.locator('#announcer').textContent()).resolves.toBe('The maintenance window is over');
  });

  it('hides it when its until passes, by itself', async () => {
    const until = Date.now() + 2_500;
    await maintenance(service.url, 'POST', { headers: BEARER, body: { until: new Date(until).toISOString() } });
    await banner().waitFor({ state: 'visible', timeout: 5_000 });
    await banner().waitFor({ state: 'hidden', timeout: 6_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    expect(errors).toEqual([]);
  });
});
