import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianPackages, normalizeDistribution, pythonDistributions } from './package-inventory';

// Real subprocesses: the machine's dpkg-query, and stand-in interpreters for the failure cases (a real python3 with
// and without a distribution is exercised end to end in test/plugin-diagnostics.e2e-spec.ts).
describe('package inventories', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'package-inventory-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function script(name: string, body: string): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  }

  it('normalises distribution names as PEP 503 does', () => {
    expect(normalizeDistribution(' Python_Nmap ')).toBe('python-nmap');
    expect(normalizeDistribution('zope.interface')).toBe('zope-interface');
    expect(normalizeDistribution('a-_.b')).toBe('a-b');
  });

  it('no python3 on PATH: nothing is installed', async () => {
    await expect(pythonDistributions(undefined, { path: '', timeoutMs: 1000 })).resolves.toEqual({
      state: 'checked',
      installed: new Set(),
    });
  });

  it('reads the list a python3 prints, normalised', async () => {
    const python = await script('python3', `echo '["Python_Nmap", "scapy"]'`);
    const inventory = await pythonDistributions(python, { path: dir, timeoutMs: 2000 });
    expect(inventory).toEqual({ state: 'checked', installed: new Set(['python-nmap', 'scapy']) });
  });

  it('a python3 that hangs is killed at the timeout and the packages are unverified', async () => {
    const python = await script('python3', 'exec /bin/sleep 30');
    const started = performance.now();
    const inventory = await pythonDistributions(python, { path: dir, timeoutMs: 200 });
    expect(inventory).toEqual({
      state: 'unverified',
      reason: 'python3 could not list its packages: timed out after 200 ms',
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a python3 that fails or answers nonsense leaves the packages unverified', async () => {
    const failing = await script('python3', 'exit 3');
    await expect(pythonDistributions(failing, { path: dir, timeoutMs: 2000 })).resolves.toEqual({
      state: 'unverified',
      reason: 'python3 could not list its packages: exit code 3',
    });
    const chatty = await script('python3', 'echo hello');
    await expect(pythonDistributions(chatty, { path: dir, timeoutMs: 2000 })).resolves.toMatchObject({
      state: 'unverified',
      reason: 'python3 answered something other than a list of packages',
    });
  });

  it("lists the machine's installed Debian packages with dpkg-query; without it, unverified", async () => {
    const inventory = await debianPackages('/usr/bin/dpkg-query', { path: '/usr/bin:/bin', timeoutMs: 5000 });
    if (inventory.state !== 'checked') throw new Error(inventory.reason);
    expect(inventory.installed.has('dpkg')).toBe(true);
    expect(inventory.installed.has('secuscan-fixture-absent-deb')).toBe(false);
    await expect(debianPackages(undefined, { path: '', timeoutMs: 1000 })).resolves.toMatchObject({
      state: 'unverified',
    });
  });
});
