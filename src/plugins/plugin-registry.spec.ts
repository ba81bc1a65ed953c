import { Logger } from '@nestjs/common';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseConfig } from '../config/app-config';
import { PluginRegistry, PluginRegistryStatus } from './plugin-registry';

const nmap = { id: 'nmap', name: 'Nmap', engine: { type: 'cli', binary: 'nmap' } };
const sslyze = { id: 'sslyze', name: 'SSLyze', engine: { type: 'python' }, dependencies: { binaries: ['python3'] } };

describe('PluginRegistry', () => {
  let root: string;
  let plugins: string;
  let bin: string;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  /** Writes `content` (JSON-encoded unless a string) at `relativePath` under the plugins folder. */
  async function put(relativePath: string, content: unknown): Promise<void> {
    const file = join(plugins, relativePath);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  }

  async function install(...names: string[]): Promise<void> {
    await Promise.all(names.map((name) => writeFile(join(bin, name), '#!/bin/sh\n', { mode: 0o755 })));
  }

  async function statusOf(env: Record<string, string> = {}): Promise<PluginRegistryStatus> {
    const registry = new PluginRegistry(parseConfig({ PLUGINS_DIR: plugins, PATH: bin, ...env }));
    await registry.onModuleInit();
    return registry.status();
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-registry-'));
    plugins = join(root, 'plugins');
    bin = join(root, 'bin');
    await mkdir(plugins);
    await mkdir(bin);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(root, { recursive: true, force: true });
  });

  it('counts valid manifests only and warns once, naming the file, for each skipped folder', async () => {
    await put('nmap/metadata.json', nmap);
    await put('sslyze/metadata.json', sslyze);
    await put('broken/metadata.json', '{ "id": ');
    await put('anonymous/metadata.json', { name: 'No id', engine: { type: 'cli', binary: 'x' } });
    await put('empty/notes.txt', 'no manifest here');
    await put('README.md', 'top-level files are not plugins');

    const status = await statusOf();

    expect(status).toMatchObject({ loaded: true, total: 2, plugins: [{ id: 'nmap' }, { id: 'sslyze' }] });
    const lines = warn.mock.calls.map(([message]) => String(message));
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/anonymous\/metadata\.json: "id" must be a non-empty string/),
        expect.stringMatching(/broken\/metadata\.json: not valid JSON/),
        expect.stringMatching(/empty\/metadata\.json: does not exist/),
      ]),
    );
    expect(error).not.toHaveBeenCalled();
  });

  it('keeps the first of two folders declaring the same id, with a warning', async () => {
    await put('a-nmap/metadata.json', { ...nmap, name: 'First' });
    await put('b-nmap/metadata.json', { ...nmap, name: 'Second' });

    const status = await statusOf();

    expect(status).toMatchObject({ loaded: true, total: 1, plugins: [{ id: 'nmap', name: 'First' }] });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/b-nmap\/metadata\.json: duplicate id "nmap" \(kept .*a-nmap/);
  });

  it('counts as runnable only the plugins whose binaries are on PATH, re-checked at every call', async () => {
    await put('nmap/metadata.json', nmap);
    await put('sslyze/metadata.json', sslyze);
    await install('nmap');
    const registry = new PluginRegistry(parseConfig({ PLUGINS_DIR: plugins, PATH: bin }));
    await registry.onModuleInit();

    await expect(registry.status()).resolves.toEqual({
      loaded: true,
      total: 2,
      runnable: 1,
      plugins: [
        { id: 'nmap', name: 'Nmap', runnable: true, missing: [], disabled: false },
        { id: 'sslyze', name: 'SSLyze', runnable: false, missing: ['python3'], disabled: false },
      ],
    });
    await install('python3');
    await expect(registry.status()).resolves.toMatchObject({ total: 2, runnable: 2 });
  });

  it('does not count a plugin listed in DISABLED_PLUGINS as runnable, even with its binaries installed', async () => {
    await put('nmap/metadata.json', nmap);
    await put('sslyze/metadata.json', sslyze);
    await install('nmap', 'python3');

    const status = await statusOf({ DISABLED_PLUGINS: 'nmap, unknown' });

    expect(status).toMatchObject({ loaded: true, total: 2, runnable: 1 });
    expect(status.loaded && status.plugins[0]).toEqual({
      id: 'nmap',
      name: 'Nmap',
      runnable: false,
      missing: [],
      disabled: true,
    });
  });
});
