import { Logger } from '@nestjs/common';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../test/support/wait';
import { BinaryLocator } from './binary-locator';
import { PackageChecks } from './package-checks';

// Real subprocesses on a PATH of stand-ins that answer a fixed list and write a line to a log each time they run,
// so the tests count the subprocesses a registry's needs start.
describe('PackageChecks', () => {
  let dir: string;
  let checks: PackageChecks | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'package-checks-'));
    const log = join(dir, 'runs.log');
    await writeFile(join(dir, 'python3'), `#!/bin/sh\necho python3 >> ${log}\necho '["Scapy"]'\n`, { mode: 0o755 });
    const dpkg = `#!/bin/sh\necho dpkg-query >> ${log}\nprintf 'nmap\\tii \\n'\n`;
    await writeFile(join(dir, 'dpkg-query'), dpkg, { mode: 0o755 });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    checks?.stop();
    checks = undefined;
    jest.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  const create = (ttlMs = 60_000) => (checks = new PackageChecks(new BinaryLocator(dir), dir, ttlMs));
  const runs = () =>
    readFile(join(dir, 'runs.log'), 'utf8').then(
      (text) => text.split('\n').filter(Boolean),
      () => [],
    );

  it('starts no subprocess while no plugin requires packages', async () => {
    const packages = create(1);
    await packages.need({ python: false, system: false });
    await packages.need({ python: false, system: false });
    expect(await runs()).toEqual([]);
    expect(packages.python).toEqual({ state: 'unverified', reason: 'no plugin requires these packages' });
  });

  it('takes a list as soon as it is needed, each list only when needed, and not again within the TTL', async () => {
    const packages = create();
    await packages.need({ python: true, system: false });
    expect(await runs()).toEqual(['python3']);
    expect(packages.python).toEqual({ state: 'checked', installed: new Set(['scapy']) });

    await packages.need({ python: true, system: false });
    await packages.need({ python: true, system: true });
    expect((await runs()).sort()).toEqual(['dpkg-query', 'python3', 'python3']);
    expect(packages.system).toEqual({ state: 'checked', installed: new Set(['nmap']) });
    expect(packages.python.state).toBe('checked');
  });

  it('a list needed while a check runs is pending, then taken right after it', async () => {
    const packages = create();
    const first = packages.need({ python: true, system: false });
    const second = packages.need({ python: true, system: true });
    expect(packages.system).toEqual({ state: 'unverified', reason: 'the first package check has not finished' });
    await Promise.all([first, second]);
    expect(packages.system.state).toBe('checked');
    expect(packages.python.state).toBe('checked');
  });

  it('lists again every TTL while needed; a list no longer needed is dropped, and taken again when needed', async () => {
    const packages = create(100);
    await packages.need({ python: true, system: false });
    await waitFor(async () => (await runs()).length >= 3, { what: 'two checks after the first, one per TTL' });

    await packages.need({ python: false, system: false });
    await waitFor(() => packages.python.state === 'unverified', { what: 'the unneeded list to be dropped' });
    const settled = (await runs()).length;
    await packages.need({ python: true, system: false });
    expect((await runs()).length).toBe(settled + 1);
    expect(packages.python.state).toBe('checked');
  });

  it('a list that stops being needed while its check runs is dropped when that check ends', async () => {
    // A python3 that answers only once told to: the check is in flight for as long as the test wants.
    const go = join(dir, 'go');
    const log = join(dir, 'runs.log');
    const slow = `#!/bin/sh\necho python3 >> ${log}\nwhile [ ! -e ${go} ]; do sleep 0.02; done\necho '["Scapy"]'\n`;
    await writeFile(join(dir, 'python3'), slow, { mode: 0o755 });
    const packages = create();
    const taking = packages.need({ python: true, system: false });
    await waitFor(async () => (await runs()).length === 1, { what: 'the check to be in flight' });
    const dropping = packages.need({ python: false, system: false });
    await writeFile(go, '');
    await Promise.all([taking, dropping]);
    // No check follows (nothing is needed), so this one had to drop it.
    expect(packages.python).toEqual({ state: 'unverified', reason: 'no plugin requires these packages' });
  });
});
