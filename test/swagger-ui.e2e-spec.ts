import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RunningApp, startApp } from './support/app';
import { HeadlessBrowser, launchChromium } from './support/browser';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { waitFor } from './support/wait';

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

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    deps = await proxyDependencies();
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' });
    await service.until('healthy');
    chromium = await launchChromium();
    page = await chromium.context.newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await service?.close();
    await deps?.close();
  });

  const operation = () => page.locator('#operations-health-HealthController_report');

  /**
   * Expands the health operation, presses "Try it out" (once) and "Execute", waits until the page shows the
   * answer to this very request (its code), and reads the response body the page shows.
   */
  async function execute(expectedCode: string): Promise<{ code: string; body: string }> {
    const op = operation();
    if ((await op.locator('.execute').count()) === 0) {
      if ((await op.locator('.try-out__btn').count()) === 0) await op.locator('.opblock-summary').click();
      await op.getByRole('button', { name: 'Try it out' }).click();
    }
    const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/health');
    await op.getByRole('button', { name: 'Execute' }).click();
    await answered;
    const row = op.locator('.live-responses-table tbody tr.response').first();
    const code = await waitFor(
      async () => {
        const text = (
          (await row
            .locator('.response-col_status')
            .textContent()
            .catch(() => '')) ?? ''
        ).trim();
        return text === expectedCode && text;
      },
      { what: `Swagger UI to show ${expectedCode}`, timeoutMs: 10_000 },
    );
    const body = (await row.locator('.response-col_description .microlight').first().textContent()) ?? '';
    return { code, body };
  }

  it('shows the API title and version from the app, and every route', async () => {
    await page.goto(`${service.url}/api/docs`);
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
    const { code, body } = await execute('200');
    expect(code).toBe('200');
    expect(body).toContain('"status"');
    expect(body).toContain('"healthy"');
    await operation().screenshot({ path: join(ARTIFACTS, 'healthy.png') });
  });

  it('with the database cut off, Execute shows 503 and an unhealthy body', async () => {
    await deps.db.setMode('refuse');
    const { code, body } = await execute('503');
    expect(code).toBe('503');
    expect(body).toContain('"status"');
    expect(body).toContain('"unhealthy"');
    expect(body).toContain('database unreachable');
    await operation().screenshot({ path: join(ARTIFACTS, 'unhealthy.png') });
  });
});
