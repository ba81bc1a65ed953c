import { existsSync } from 'node:fs';
import { Browser, BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, installed by `.ci/run` with apt-get; Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

const VIEWPORT = { width: 1280, height: 1400 };

/** A headless Chromium with one fresh context; `close()` ends the browser. */
export interface HeadlessBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless (Playwright gives it a new temporary profile) with the flags this closed network needs:
 * without the background-networking ones it keeps trying (and failing) to reach Google's services. Each
 * `browser.newContext()` is then as fresh as a new profile (its own cookies and storage), at a fraction of a launch.
 * `extraArgs` are added to the command line (e.g. `--host-resolver-rules` to make a name resolve to loopback).
 */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    return Promise.reject(new Error(`the browser tests need Chromium at ${CHROMIUM}: apt-get install chromium`));
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** A fresh context of its own browser, for a suite that needs one browser. */
export async function launchChromium(): Promise<HeadlessBrowser> {
  const browser = await launchBrowser();
  return { context: await newContext(browser), close: () => browser.close() };
}

/** A fresh context (its own storage) of `browser`, with the viewport the tests expect. */
export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORT });
}

/** Pushes `page`'s console errors to `consoleErrors` and its uncaught script errors to `pageErrors` (the same list by default). */
export function recordErrors(page: Page, consoleErrors: string[], pageErrors: string[] = consoleErrors): void {
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}
