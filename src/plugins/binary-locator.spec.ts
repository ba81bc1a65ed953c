import fsPromises from 'node:fs/promises';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { BinaryLocator } from './binary-locator';

describe('BinaryLocator', () => {
  let root: string;
  let first: string;
  let second: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'binary-locator-'));
    first = join(root, 'first');
    second = join(root, 'second');
    await mkdir(first);
    await mkdir(second);
    await writeFile(join(second, 'scanner'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(first, 'notes'), 'not a program\n', { mode: 0o644 });
    await mkdir(join(first, 'folder'), { mode: 0o755 });
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds an executable file in any PATH directory', async () => {
    await expect(new BinaryLocator([first, second].join(delimiter)).missing(['scanner'])).resolves.toEqual([]);
  });

  it('does not find a binary when its directory is not on PATH', async () => {
    await expect(new BinaryLocator(first).missing(['scanner'])).resolves.toEqual(['scanner']);
  });

  it('rejects a file without the execute bit', async () => {
    await expect(new BinaryLocator(first).missing(['notes'])).resolves.toEqual(['notes']);
  });

  it('rejects a directory named like the binary, though directories are "executable"', async () => {
    await expect(new BinaryLocator(first).missing(['folder'])).resolves.toEqual(['folder']);
  });

  it('checks a name containing "/" as a path, ignoring PATH', async () => {
    const locator = new BinaryLocator('');
    await expect(locator.missing([join(second, 'scanner')])).resolves.toEqual([]);
    await expect(locator.missing([join(first, 'notes')])).resolves.toEqual([join(first, 'notes')]);
    await expect(locator.missing([join(first, 'folder')])).resolves.toEqual([join(first, 'folder')]);
  });

  it('finds nothing with an empty PATH or an empty name, and ignores relative PATH entries', async () => {
    await expect(new BinaryLocator('').missing(['scanner'])).resolves.toEqual(['scanner']);
    await expect(new BinaryLocator(second).missing([''])).resolves.toEqual(['']);
    // This relative entry does lead to `scanner` from the cwd; a shell would find it, the locator must not.
    const relativeToCwd = relative(process.cwd(), second);
    await expect(new BinaryLocator(`${relativeToCwd}${delimiter}${first}`).missing(['scanner'])).resolves.toEqual([
      'scanner',
    ]);
  });

  it('sees a binary installed and made executable after the first lookup', async () => {
    const locator = new BinaryLocator(first);
    await expect(locator.missing(['notes'])).resolves.toEqual(['notes']);
    await chmod(join(first, 'notes'), 0o755);
    await expect(locator.missing(['notes'])).resolves.toEqual([]);
  });

  it('lists the missing names in the given order', async () => {
    const locator = new BinaryLocator([first, second].join(delimiter));
    await expect(locator.missing(['nmap', 'scanner', 'notes', 'folder'])).resolves.toEqual(['nmap', 'notes', 'folder']);
    await expect(locator.missing([])).resolves.toEqual([]);
  });

  it('a batch lookup agrees with single lookups for every kind of entry, across PATH order and absent directories', async () => {
    // `notes` is a plain file in the first directory and an executable in the second: the second one counts.
    await writeFile(join(second, 'notes'), '#!/bin/sh\n', { mode: 0o755 });
    const path = [join(root, 'absent'), first, second].join(delimiter);
    const locator = new BinaryLocator(path);
    const names = ['scanner', 'notes', 'folder', 'nmap', join(second, 'scanner'), ''];
    const missing = await locator.missing(names);
    expect(missing).toEqual(['folder', 'nmap', '']);
    for (const name of names) {
      await expect(locator.missing([name])).resolves.toEqual(missing.includes(name) ? [name] : []);
    }
  });

  it('missing() sees a binary installed after the first lookup', async () => {
    const locator = new BinaryLocator(first);
    await expect(locator.missing(['late'])).resolves.toEqual(['late']);
    await writeFile(join(first, 'late'), '#!/bin/sh\n', { mode: 0o755 });
    await expect(locator.missing(['late'])).resolves.toEqual([]);
  });

  it('reads a directory unchanged since it was listed only once, and again as soon as it changes', async () => {
    // Its last change a minute before "now", as /usr/bin's usually is.
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    const read = jest.spyOn(fsPromises, 'readdir');
    try {
      const locator = new BinaryLocator(second);
      await expect(locator.missing(['scanner', 'late'])).resolves.toEqual(['late']);
      await expect(locator.missing(['scanner', 'late'])).resolves.toEqual(['late']);
      expect(read).toHaveBeenCalledTimes(1);
      // Installing changes the directory's times: the next call lists it again and finds the binary.
      await writeFile(join(second, 'late'), '#!/bin/sh\n', { mode: 0o755 });
      await expect(locator.missing(['scanner', 'late'])).resolves.toEqual([]);
      expect(read).toHaveBeenCalledTimes(2);
      // A binary that stops being executable is seen at once: found names are checked on every call.
      await chmod(join(second, 'scanner'), 0o644);
      await expect(locator.missing(['scanner', 'late'])).resolves.toEqual(['scanner']);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('lists a directory changed within the last seconds on every call, since its times may not move again', async () => {
    const read = jest.spyOn(fsPromises, 'readdir');
    try {
      const locator = new BinaryLocator(first);
      await locator.missing(['scanner']);
      await locator.missing(['scanner']);
      expect(read).toHaveBeenCalledTimes(2);
    } finally {
      read.mockRestore();
    }
  });
});
