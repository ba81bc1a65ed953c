import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SWAGGER_UI_CSP } from '../src/docs/swagger';
import { RunningApp, startApp } from './support/app';
import { HeadlessBrowser, launchChromium } from './support/browser';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';

/** Screenshots land here (git-ignored) for a person to look at after a run. */
const ARTIFACTS = join(__dirname, '..', '.artifacts', 'swagger-ui');

/**
 * Swagger UI in a real headless Chromium: a person opens `/api/docs`, expands `GET /api/v1/health`, presses
 * "Try it out" and "Execute", and reads the answer — once while healthy and once with the database cut off.
 */
describe('Swagger UI in a real browser', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;
  let chromium: HeadlessBrowser;
  let page: Page;
  /** What the browser said about the page's policy: anything it blocked. */
  const violations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    deps = await proxyDependencies();
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' });
    await service.until('healthy');
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await chromium?.close();
    await service?.close();
    await deps?.close();
  });

  const operation = () => page.locator('#operations-health-HealthController_report');

  /**
   * Expands the health operation, presses "Try it out" (once), clears the answer a previous run left on the page,
   * presses "Execute", and reads what the page then shows (the code and the response body) next to the status of
   * the request the browser really sent.
   */
  async function execute(): Promise<{ code: string; body: string; served: number }> {
    const op = operation();
    if ((await op.locator('.execute').count()) === 0) {
      if ((await op.locator('.try-out__btn').count()) === 0) await op.locator('.opblock-summary').click();
      await op.getByRole('button', { name: 'Try it out' }).click();
    }
    const table = op.locator('.live-responses-table');
    if ((await table.count()) > 0) {
      await op.getByRole('button', { name: 'Clear' }).click();
      await table.waitFor({ state: 'detached' });
    }
    const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/health');
    await op.getByRole('button', { name: 'Execute' }).click();
    const served = (await answered).status();
    // The table was cleared: whatever row appears now shows this request's answer.
    const row = table.locator('tbody tr.response').first();
    const code = ((await row.locator('.response-col_status').textContent()) ?? '').trim();
    const body = (await row.locator('.response-col_description .microlight').first().textContent()) ?? '';
    return { code, body, served };
  }

  it('shows the API title and version from the app, and every route', async () => {
    const response = await page.goto(`${service.url}/api/docs`);
    expect(response?.headers()).toMatchObject({
      'content-security-policy': SWAGGER_UI_CSP,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    await page.locator('.opblock').first().waitFor();
    await expect(page.locator('.info .title').textContent()).resolves.toContain('SecuScan health service');
    await expect(page.locator('.info .title').textContent()).resolves.toContain('1.0.0');
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(
      expect.arrayContaining(['/api/v1/health', '/api/v1/health/live', '/api/v1/health/ready', '/api/v1/metrics']),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'overview.png') });
  });

  it('Try it out → Execute while healthy shows 200 and a body with "status"', async () => {
    const { code, body, served } = await execute();
    expect(served).toBe(200);
    expect(code).toBe('200');
    expect(body).toContain('"status"');
    expect(body).toContain('"healthy"');
    await operation().screenshot({ path: join(ARTIFACTS, 'healthy.png') });
  });

  it('with the database cut off, Execute shows 503 and an unhealthy body', async () => {
    await deps.db.setMode('refuse');
    const { code, body, served } = await execute();
    expect(served).toBe(503);
    expect(code).toBe('503');
    expect(body).toContain('"status"');
    expect(body).toContain('"unhealthy"');
    expect(body).toContain('database unreachable');
    await operation().screenshot({ path: join(ARTIFACTS, 'unhealthy.png') });
  });

  it('ran all of the above under its Content-Security-Policy without the browser blocking anything', () => {
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
