import { Logger } from '@nestjs/common';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginScanner } from './plugin-scanner';

// The real readdir, counted: how often the folder is listed is what these tests are about.
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  return { ...actual, readdir: jest.fn(actual.readdir) };
});
const listings = readdir as unknown as jest.Mock;

/**
 * The scanner's cheap "did anything come or go" (`changed()`), which the registry asks every 2 s: listing 50,000
 * entries each time was the largest cost of an idle process, so the folder is listed only when its own metadata
 * says it may have changed.
 */
describe('PluginScanner.changed', () => {
  let root: string;
  let scanner: PluginScanner;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-scanner-'));
    await mkdir(join(root, 'alpha'));
    await writeFile(join(root, 'alpha', 'metadata.json'), '{}');
    const logger = new Logger('test');
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    jest.spyOn(logger, 'log').mockImplementation(() => undefined);
    scanner = new PluginScanner(root, logger);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    listings.mockClear();
    await rm(root, { recursive: true, force: true });
  });

  const ago = (ms: number) => new Date(Date.now() - ms);

  it('is true before the first scan', async () => {
    await expect(scanner.changed()).resolves.toBe(true);
  });

  it('does not list a folder whose metadata is unchanged since the scan and older than its clock can blur', async () => {
    await utimes(root, ago(60_000), ago(60_000));
    await scanner.scan({ loaded: false, error: '' });
    listings.mockClear();

    await expect(scanner.changed()).resolves.toBe(false);
    await expect(scanner.changed()).resolves.toBe(false);
    expect(listings).not.toHaveBeenCalled();
  });

  it('is true once an entry is added or removed', async () => {
    await utimes(root, ago(60_000), ago(60_000));
    await scanner.scan({ loaded: false, error: '' });
    await mkdir(join(root, 'beta'));
    await expect(scanner.changed()).resolves.toBe(true);

    await scanner.scan({ loaded: false, error: '' });
    await expect(scanner.changed()).resolves.toBe(false);
    await rm(join(root, 'beta'), { recursive: true });
    await expect(scanner.changed()).resolves.toBe(true);
  });

  it('lists a folder modified within the last 2 s anyway: a coarse clock may hide a change made in that time', async () => {
    await scanner.scan({ loaded: false, error: '' });
    // Same metadata as at the scan, but only just modified: a second entry could hide behind the same time stamp.
    listings.mockClear();
    await expect(scanner.changed()).resolves.toBe(false);
    expect(listings).toHaveBeenCalledTimes(1);
  });

  it('is true when the folder became unreadable, and false while it stays so', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await scanner.scan({ loaded: false, error: '' });
    await rm(root, { recursive: true });
    await expect(scanner.changed()).resolves.toBe(true);
    await scanner.scan({ loaded: false, error: '' });
    await expect(scanner.changed()).resolves.toBe(false);
  });
});
