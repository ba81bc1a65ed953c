import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A controlled `PATH` for plugin tests: a `bin` folder holding only what a test puts there (`sh` and, on request,
 * the real `dpkg-query`), and a real Python virtual environment (`python3 -m venv --without-pip`, offline) whose
 * installed distributions a test can add and remove.
 */
export class PluginToolbox {
  private constructor(
    readonly bin: string,
    readonly venv: string,
    private readonly sitePackages: string,
  ) {}

  /** Creates the folders under `root`; `dpkgQuery` links the machine's `/usr/bin/dpkg-query` into `bin`. */
  static async create(root: string, { dpkgQuery = false } = {}): Promise<PluginToolbox> {
    const bin = join(root, 'bin');
    const venv = join(root, 'venv');
    await mkdir(bin, { recursive: true });
    await symlink('/bin/sh', join(bin, 'sh'));
    if (dpkgQuery) await symlink('/usr/bin/dpkg-query', join(bin, 'dpkg-query'));
    await promisify(execFile)('python3', ['-m', 'venv', '--without-pip', venv]);
    const lib = join(venv, 'lib');
    const [python] = (await readdir(lib)).filter((name) => name.startsWith('python'));
    return new PluginToolbox(bin, venv, join(lib, python, 'site-packages'));
  }

  /** `bin`, then the venv's `bin` (so `python3` is the venv's). */
  get path(): string {
    return [this.bin, join(this.venv, 'bin')].join(delimiter);
  }

  /** Installs an executable called `name` in `bin`. */
  async installBinary(name: string): Promise<void> {
    await writeFile(join(this.bin, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  }

  async removeBinary(name: string): Promise<void> {
    await rm(join(this.bin, name));
  }

  /** Registers a distribution in the venv the way pip does: a `<name>-<version>.dist-info/METADATA` file. */
  async installDistribution(name: string): Promise<void> {
    const info = join(this.sitePackages, `${name.replace(/-/g, '_')}-1.0.dist-info`);
    await mkdir(info, { recursive: true });
    await writeFile(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n`);
  }

  async removeDistribution(name: string): Promise<void> {
    await rm(join(this.sitePackages, `${name.replace(/-/g, '_')}-1.0.dist-info`), { recursive: true });
  }
}
