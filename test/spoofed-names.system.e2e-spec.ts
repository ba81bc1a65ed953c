import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RunningApp, startApp } from './support/app';
import { launchBrowser, newContext } from './support/browser';
import { cli } from './support/cli';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { copyFixturePlugins } from './support/plugin-fixtures';

/** A name that reads "exe.png" on screen: U+202E (right-to-left override) flips what follows it. */
const SPOOFED_NAME = '\u202egnp.exe';
/** A missing tool named with an override and a zero-width space: its generic install line is a sentence, not a URL. */
const SPOOFED_TOOL = 'secuscan-absent-\u202etool\u200b';
/** Bidi controls and other invisible format characters (Unicode category Cf). */
const INVISIBLE = /\p{Cf}/u;

/** What the page and the CLI must show instead: the characters written as escapes, readable as they are. */
const SHOWN_NAME = '\\u202egnp.exe';
const SHOWN_TOOL = 'secuscan-absent-\\u202etool\\u200b';

/**
 * Writes a plugins folder: the runnable fixture (so the service is healthy), a plugin named to spoof that needs a
 * tool named to spoof (no catalogue entry: its install line is the generic sentence), and one that needs nmap (a
 * catalogue entry with an https `docs` URL). `PATH` holds `sh` only, so nmap is missing on every machine.
 */
async function spoofingPlugins(root: string): Promise<{ plugins: string; path: string }> {
  const plugins = join(root, 'plugins');
  const bin = join(root, 'bin');
  await copyFixturePlugins(plugins, ['runnable']);
  await mkdir(bin);
  await symlink('/bin/sh', join(bin, 'sh'));
  const manifest = (id: string, name: string, binaries: string[]) =>
    JSON.stringify({ id, name, version: '1.0.0', engine: { type: 'cli', binary: 'sh' }, dependencies: { binaries } });
  for (const [id, name, binaries] of [
    ['spoof', SPOOFED_NAME, [SPOOFED_TOOL]],
    ['needs_nmap', 'Needs nmap', ['nmap']],
  ] as const) {
    await mkdir(join(plugins, id));
    await writeFile(join(plugins, id, 'metadata.json'), manifest(id, name, [...binaries]));
  }
  return { plugins, path: bin };
}

/**
 * Names from manifests anyone may write, shown to people: on the status page in Chromium and in the CLI's output, a
 * bidi override or zero-width character is shown escaped instead of reordering or hiding text, and only an absolute
 * http(s) URL becomes a link.
 */
describe('spoofing names and install lines', () => {
  let root: string;
  let deps: ProxiedDependencies;
  let service: RunningApp;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'secuscan-spoofed-names-'));
    const { plugins, path } = await spoofingPlugins(root);
    deps = await proxyDependencies();
    service = await startApp({ ...deps.env, PLUGINS_DIR: plugins, PATH: path });
    await service.until('healthy');
  });
  afterAll(async () => {
    await service?.close();
    await deps?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('the service hands the names over as they are (escaping is for whoever shows them)', async () => {
    const spoof = (await service.get('/health/plugins/spoof')).body;
    expect(spoof.name).toBe(SPOOFED_NAME);
    expect(spoof.missing).toEqual([
      expect.objectContaining({ name: SPOOFED_TOOL, install: { docs: expect.stringContaining(SPOOFED_TOOL) } }),
    ]);
  });

  describe('the status page in Chromium', () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const consoleErrors: string[] = [];

    beforeAll(async () => {
      browser = await launchBrowser();
      context = await newContext(browser);
      page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      await page.goto(`${service.url}/status`);
      await page.locator('#plugins table').last().waitFor();
    });
    afterAll(async () => {
      await context?.close();
      await browser?.close();
    });

    it('links only absolute http(s) URLs; an install sentence stays text', async () => {
      // Typed by hand: the tests compile without the DOM library.
      const hrefs = await page
        .locator('#plugins a')
        .evaluateAll((links: Array<{ getAttribute(name: string): string | null }>) =>
          links.map((a) => a.getAttribute('href')),
        );
      expect(hrefs).toEqual(['https://nmap.org/download']);
      const sentence = `install "${SHOWN_TOOL}" and make sure it is on PATH`;
      await expect(page.locator('#plugins li', { hasText: 'docs:' }).allTextContents()).resolves.toEqual(
        expect.arrayContaining(['docs: https://nmap.org/download', `docs: ${sentence}`]),
      );
      expect(consoleErrors).toEqual([]);
    });

    it('shows bidi controls and zero-width characters escaped, so the name reads as it is written', async () => {
      const row = page.locator('#plugins table').last().locator('tbody tr', { hasText: 'spoof' });
      await expect(row.locator('td').first().textContent()).resolves.toBe(`${SHOWN_NAME} spoof`);
      await expect(row.locator('td').last().textContent()).resolves.toBe(SHOWN_TOOL);
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toContain(SHOWN_NAME);
      expect(text).not.toMatch(INVISIBLE);
    });
  });

  describe('secuscan-health plugins', () => {
    const url = () => `${service.url}/api/v1/health/plugins`;

    it('prints the names escaped in the table and the "to fix" list', async () => {
      const run = await cli(['plugins', '--url', url()]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        new RegExp(`^spoof +blocked +${escapeRegExp(SHOWN_NAME)} +${escapeRegExp(SHOWN_TOOL)}$`, 'm'),
      );
      expect(run.stdout).toContain(`  ${SHOWN_TOOL}: blocks 1 plugin (spoof)`);
      expect(run.stdout).not.toMatch(INVISIBLE);
    });

    it('--json writes them as \\u escapes: the output parses to the names as they are', async () => {
      const run = await cli(['plugins', '--url', url(), '--json']);
      expect(run.stdout).not.toMatch(INVISIBLE);
      expect(run.stdout).toContain('"name": "\\u202egnp.exe"');
      const parsed = JSON.parse(run.stdout) as { plugins: Array<{ id: string; name: string }> };
      expect(parsed.plugins.find((plugin) => plugin.id === 'spoof')?.name).toBe(SPOOFED_NAME);
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
