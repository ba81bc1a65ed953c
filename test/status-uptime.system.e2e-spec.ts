import { mkdir, readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { HistoryDatabase } from '../src/history-store/history-database';
import type { MinuteRow } from '../src/history-store/minute-rollup';
import { RunningApp, startApp } from './support/app';
import { launchBrowser, newContext, recordErrors } from './support/browser';
import { waitFor } from './support/wait';

const SHOTS = join(__dirname, '..', '.artifacts', 'status-page');
const AXE = require.resolve('axe-core/axe.min.js');
const DAY_MS = 86_400_000;
const NAMES = ['service', 'database', 'cache', 'plugins'];

const today = Math.floor(Date.now() / DAY_MS);

/** What the reads in the page need of an element (the tests compile without the DOM's types). */
interface PageElement {
  getAttribute(name: string): string | null;
}
/** The page's `getComputedStyle`, as far as the fill of an SVG shape goes. */
type ComputedStyle = (element: PageElement) => { fill: string };
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Ten minutes at noon of `day` for every name, the cache failing in `cacheDown` of them: the history of days before
 * this test, written to the file the service then reads.
 */
function dayOfMinutes(day: number, cacheDown: number): MinuteRow[] {
  const noon = day * 1440 + 720;
  return Array.from({ length: 10 }, (_, i) =>
    NAMES.map((name) => ({
      minute: noon + i,
      name,
      evaluations: 60,
      failures: name === 'cache' && i < cacheDown ? 60 : 0,
      p50Us: 2000,
      p95Us: 3000,
      maxUs: 5000,
    })),
  ).flat();
}

/** The uptime section in Debian's Chromium, over a history file that holds days up, down and unknown. */
describe('status page uptime in a real browser', () => {
  let dataDir: string;
  let service: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'status-uptime-'));
    const file = HistoryDatabase.open(join(dataDir, 'health.db'), dataDir);
    // Three days ago all up, two days ago the cache down in half the minutes, yesterday nothing (unknown).
    file.write([...dayOfMinutes(today - 3, 0), ...dayOfMinutes(today - 2, 5)], []);
    file.close();
    service = await startApp({ HEALTH_DATA_DIR: dataDir });
    await service.until('healthy');
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    recordErrors(page, errors);
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows each window as the service reports it, and a bar of 30 UTC days where unknown is not up', async () => {
    // What the service answered the page for each window. Its figures move when a minute ends (the running service
    // adds it) and the page asks again once a minute, so the page is held to the answers it was given, not to a
    // later request of the test's own that may fall in the next minute.
    const answered = new Map<string, Record<string, number | null>>();
    const recordAnswer = (response: Response) => {
      const url = new URL(response.url());
      const window = url.searchParams.get('window');
      if (url.pathname !== '/api/v1/health/history' || window === null) return;
      void response.json().then((body: { uptime: Record<string, number | null> }) => answered.set(window, body.uptime));
    };
    page.on('response', recordAnswer);
    await page.goto(`${service.url}/status`);
    await page.locator('#uptime table').waitFor();
    await waitFor(() => answered.size === 3, { what: "the service's answers for the three windows" });
    page.off('response', recordAnswer);
    const rows = page.locator('#uptime tbody tr');
    await expect(
      rows.evaluateAll((trs: PageElement[]) => trs.map((tr) => tr.getAttribute('data-name'))),
    ).resolves.toEqual(NAMES);

    // Each number is the service's, for its window.
    for (const window of ['24h', '7d', '30d']) {
      for (const name of NAMES) {
        const cell = page.locator(`#uptime tr[data-name="${name}"] td[data-window="${window}"]`);
        await expect(cell.textContent()).resolves.toBe(`${answered.get(window)?.[name]} %`);
      }
    }
    // The cache's bad day is more than 24 h ago, inside 7 and 30 days.
    const cache = (window: string) => page.locator(`#uptime tr[data-name="cache"] td[data-window="${window}"]`);
    await expect(cache('24h').textContent()).resolves.toBe('100 %');
    for (const window of ['7d', '30d']) await expect(cache(window).textContent()).resolves.toMatch(/^\d\d(\.\d+)? %$/);

    const bar = page.locator('#uptime tr[data-name="cache"] svg[role="img"]');
    const days = await bar
      .locator('rect')
      .evaluateAll((rects: PageElement[]) =>
        rects.map((r) => [r.getAttribute('data-date'), r.getAttribute('data-state')]),
      );
    expect(days).toHaveLength(30);
    expect(days.at(-1)).toEqual([dateOf(today), 'up']);
    expect(days.slice(-4, -1)).toEqual([
      [dateOf(today - 3), 'up'],
      [dateOf(today - 2), 'down'],
      [dateOf(today - 1), 'unknown'],
    ]);
    expect(days.slice(0, -4).every(([, state]) => state === 'unknown')).toBe(true);
    await expect(bar.getAttribute('aria-label')).resolves.toBe(
      'cache, last 30 days (UTC): 2 fully up, 0 mostly up, 1 down, 27 unknown',
    );
    // Drawn apart: an unknown day is an outline, never filled like an up one.
    const fills = await bar
      .locator('rect')
      .evaluateAll((rects: PageElement[]) =>
        rects
          .slice(-4)
          .map((r) => (globalThis as unknown as { getComputedStyle: ComputedStyle }).getComputedStyle(r).fill),
      );
    expect(fills[2]).toBe('none');
    expect(new Set([fills[0], fills[1], fills[3]]).size).toBe(2);
    expect(fills[0]).toBe(fills[3]);
    await expect(bar.locator('rect').nth(27).locator('title').textContent()).resolves.toBe(
      `${dateOf(today - 2)}: 50 %`,
    );
    await page.screenshot({ path: join(SHOTS, 'status-page-uptime-wide.png'), fullPage: true });
  });

  it('has no serious or critical accessibility violation, light or dark, and no script error', async () => {
    await page.evaluate(await readFile(AXE, 'utf8'));
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const violations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: { run(): Promise<{ violations: Array<{ id: string; impact: string | null }> }> };
          }
        ).axe;
        return (await axe.run()).violations;
      });
      expect([scheme, violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')]).toEqual([
        scheme,
        [],
      ]);
    }
    expect(errors).toEqual([]);
  });
});
