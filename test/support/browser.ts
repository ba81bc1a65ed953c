import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, installed by `.ci/run` with apt-get; Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium with a fresh profile; `close()` also removes the profile. */
export interface HeadlessBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with the flags this closed network needs: without the background-networking ones it
 * keeps trying (and failing) to reach Google's services. A persistent context on a new temporary folder is the
 * fresh user-data dir.
 */
export async function launchChromium(): Promise<HeadlessBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'secuscan-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1400 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
