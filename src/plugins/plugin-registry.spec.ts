import { Logger } from '@nestjs/common';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { waitFor } from '../../test/support/wait';
import { settingsFrom } from '../config/settings';
import { PLUGINS_SETTINGS } from './plugins.settings';
import { MAX_MANIFEST_BYTES } from './plugin-folder';
import { PluginRegistry } from './plugin-registry';
import type { PluginEvaluation } from './plugin-evaluation';

const nmap = { id: 'nmap', name: 'Nmap', engine: { type: 'cli', binary: 'nmap' } };
const sslyze = { id: 'sslyze', name: 'SSLyze', engine: { type: 'python' }, dependencies: { binaries: ['python3x'] } };

describe('PluginRegistry over real files', () => {
  let root: string;
  let plugins: string;
  let bin: string;
  let registry: PluginRegistry | undefined;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  async function put(relativePath: string, content: unknown): Promise<void> {
    const file = join(plugins, relativePath);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  }

  async function install(...names: string[]): Promise<void> {
    await Promise.all(names.map((name) => writeFile(join(bin, name), '#!/bin/sh\n', { mode: 0o755 })));
  }

  async function start(env: Record<string, string> = {}, ttlMs = 1000): Promise<PluginRegistry> {
    registry = new PluginRegistry(settingsFrom(PLUGINS_SETTINGS, { PLUGINS_DIR: plugins, PATH: bin, ...env }), {
      reportTtlMs: ttlMs,
    });
    registry.onModuleInit();
    await registry.started();
    return registry;
  }

  function loaded(evaluation: PluginEvaluation): Extract<PluginEvaluation, { loaded: true }> {
    if (!evaluation.loaded) throw new Error(evaluation.error);
    return evaluation;
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
    registry?.onModuleDestroy();
    registry = undefined;
    jest.restoreAllMocks();
    await rm(root, { recursive: true, force: true });
  });

  it('lists valid plugins and, with a reason, each skipped folder; warns once per folder', async () => {
    await put('nmap/metadata.json', nmap);
    await put('sslyze/metadata.json', sslyze);
    await put('broken/metadata.json', '{ "id": ');
    await put('anonymous/metadata.json', { name: 'No id', engine: { type: 'cli', binary: 'x' } });
    await put('empty/notes.txt', 'no manifest here');
    await put('line\nbreak/metadata.json', '[]');
    await put('README.md', 'top-level files are not plugins');

    const evaluation = loaded(await (await start()).evaluate());

    expect(evaluation.plugins.map((p) => p.manifest.id)).toEqual(['nmap', 'sslyze']);
    expect(evaluation.invalid).toEqual([
      { folder: 'anonymous', reason: 'metadata.json: "id" must be a non-empty string (got nothing)' },
      { folder: 'broken', reason: 'metadata.json is not valid JSON' },
      { folder: 'empty', reason: 'metadata.json does not exist' },
      { folder: 'line\nbreak', reason: 'metadata.json must be a JSON object (got an array)' },
    ]);
    const lines = warn.mock.calls.map(([message]) => String(message)).filter((line) => line.startsWith('Plugin'));
    expect(lines).toHaveLength(4);
    // The folder name as it is: the logger escapes control characters in every line (test/logs.system.e2e-spec.ts).
    expect(lines).toContain('Plugin skipped: line\nbreak: metadata.json must be a JSON object (got an array)');

    await registry!.reload();
    // Unchanged folders are not reported again.
    expect(warn.mock.calls.filter(([line]) => String(line).startsWith('Plugin'))).toHaveLength(4);
    expect(error).not.toHaveBeenCalled();
  });

  it('follows symlinks that stay inside PLUGINS_DIR, and takes a manifest of exactly 1 MiB but not one byte more', async () => {
    await put('real/metadata.json', nmap);
    await symlink(join(plugins, 'real'), join(plugins, 'linked-folder'));
    await mkdir(join(plugins, 'linked-file'));
    await symlink(join(plugins, 'real', 'metadata.json'), join(plugins, 'linked-file', 'metadata.json'));
    const padded = (bytes: number) => {
      const base = JSON.stringify({ ...nmap, id: `big${bytes}`, description: '' });
      return JSON.stringify({ ...nmap, id: `big${bytes}`, description: 'x'.repeat(bytes - base.length) });
    };
    await put('max/metadata.json', padded(MAX_MANIFEST_BYTES));
    await put('over/metadata.json', padded(MAX_MANIFEST_BYTES + 1));

    const evaluation = loaded(await (await start()).evaluate());

    expect(evaluation.plugins.map((p) => [p.folder, p.manifest.id])).toEqual([
      ['linked-file', 'nmap'],
      ['max', `big${MAX_MANIFEST_BYTES}`],
    ]);
    expect(evaluation.invalid).toEqual([
      { folder: 'linked-folder', reason: 'duplicate id (already declared in folder linked-file)' },
      { folder: 'over', reason: 'metadata.json is larger than 1 MiB' },
      { folder: 'real', reason: 'duplicate id (already declared in folder linked-file)' },
    ]);
  });

  it('keeps the first of two folders declaring the same id; the second is invalid', async () => {
    await put('a-nmap/metadata.json', { ...nmap, name: 'First' });
    await put('b-nmap/metadata.json', { ...nmap, name: 'Second' });

    const evaluation = loaded(await (await start()).evaluate());

    expect(evaluation.plugins.map((p) => p.manifest.name)).toEqual(['First']);
    expect(evaluation.invalid).toEqual([
      { folder: 'b-nmap', reason: 'duplicate id (already declared in folder a-nmap)' },
    ]);
  });

  it('looks binaries up again at every evaluation', async () => {
    await put('nmap/metadata.json', nmap);
    await put('sslyze/metadata.json', sslyze);
    await install('nmap');
    const reg = await start();

    const first = loaded(await reg.evaluate());
    expect(first.plugins.map((p) => [p.manifest.id, p.state])).toEqual([
      ['nmap', 'runnable'],
      ['sslyze', 'blocked'],
    ]);
    expect(first.plugins[1].missing).toEqual([{ kind: 'binary', name: 'python3x' }]);
    await install('python3x');
    expect(loaded(await reg.evaluate()).plugins.every((p) => p.state === 'runnable')).toBe(true);
    expect(reg.latest).toMatchObject({ loaded: true });
  });

  it('fresh() reuses an evaluation younger than HEALTH_CACHE_TTL_MS, and runs a new one once it is older', async () => {
    await put('nmap/metadata.json', nmap);
    const reg = await start({}, 300);
    const first = await reg.fresh();
    expect(loaded(first).plugins[0].state).toBe('blocked');
    await install('nmap');
    expect(await reg.fresh()).toBe(first);
    const later = await waitFor(async () => (await reg.fresh()) !== first && reg.latest, {
      what: 'an evaluation once the last is older than the TTL',
      timeoutMs: 2000,
    });
    expect(loaded(later).plugins[0].state).toBe('runnable');
    expect(later.checkedAt.getTime()).toBeGreaterThanOrEqual(first.checkedAt.getTime() + 300);
  });

  it('shares one evaluation among concurrent callers, fresh() or evaluate()', async () => {
    await put('nmap/metadata.json', nmap);
    const reg = await start({}, 0);
    const answers = await Promise.all([reg.fresh(), reg.evaluate(), reg.fresh(), reg.evaluate()]);
    expect(new Set(answers).size).toBe(1);
    expect(await reg.fresh()).not.toBe(answers[0]);
  });

  it('marks plugins in DISABLED_PLUGINS disabled even when runnable', async () => {
    await put('nmap/metadata.json', nmap);
    await install('nmap');
    const evaluation = loaded(await (await start({ DISABLED_PLUGINS: 'nmap, unknown' })).evaluate());
    expect(evaluation.plugins[0].state).toBe('disabled');
  });

  it.each([
    ['is missing', (): Promise<string> => Promise.resolve(join(root, 'nowhere')), /nowhere: does not exist$/],
    [
      'is a file',
      async (): Promise<string> => {
        await writeFile(join(root, 'file'), 'not a folder');
        return join(root, 'file');
      },
      /file: is not a directory$/,
    ],
  ])('fails without throwing when PLUGINS_DIR %s, logging one short line', async (_, makeDir, message) => {
    plugins = await makeDir();
    const evaluation = await (await start()).evaluate();
    expect(evaluation).toMatchObject({ loaded: false, error: expect.stringMatching(message) });
    expect(error).toHaveBeenCalledTimes(1);
    await registry!.reload();
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('reload() picks up added, changed and removed folders, and a folder that disappears', async () => {
    const reg = await start();
    expect(loaded(await reg.evaluate()).plugins).toEqual([]);
    await put('sslyze/metadata.json', sslyze);
    await reg.reload();
    expect(loaded(await reg.evaluate()).plugins.map((p) => p.manifest.name)).toEqual(['SSLyze']);
    await put('sslyze/metadata.json', { ...sslyze, name: 'SSLyze 6' });
    await reg.reload();
    expect(loaded(await reg.evaluate()).plugins.map((p) => p.manifest.name)).toEqual(['SSLyze 6']);
    await rm(plugins, { recursive: true });
    await reg.reload();
    expect(await reg.evaluate()).toMatchObject({ loaded: false });
  });

  it('lists Python packages only once a plugin requires them, at the reload that brings it, not a TTL later', async () => {
    const log = join(root, 'python3.log');
    const python3 = `#!/bin/sh\necho run >> ${log}\necho '["Scapy"]'\n`;
    await writeFile(join(bin, 'python3'), python3, { mode: 0o755 });
    await install('nmap');
    await put('nmap/metadata.json', nmap);
    const reg = await start({ HEALTH_PLUGIN_DEPS_TTL_MS: '600000' });
    expect(loaded(await reg.evaluate()).plugins.map((p) => p.state)).toEqual(['runnable']);
    const ran = () =>
      readFile(log, 'utf8').then(
        (text) => text.split('\n').filter(Boolean).length,
        () => 0,
      );
    expect(await ran()).toBe(0);

    await put('scapy/metadata.json', { ...nmap, id: 'scapy', dependencies: { python_packages: ['scapy'] } });
    await put('absent/metadata.json', { ...nmap, id: 'absent', dependencies: { python_packages: ['not-there'] } });
    await reg.reload();
    const states = await waitFor(
      async () => {
        const plugins = loaded(await reg.evaluate()).plugins;
        return plugins.every((p) => p.unverified.length === 0) && plugins.map((p) => [p.manifest.id, p.state]);
      },
      { what: 'the Python packages to be listed' },
    );
    expect(states).toEqual([
      ['absent', 'blocked'],
      ['nmap', 'runnable'],
      ['scapy', 'runnable'],
    ]);
    expect(await ran()).toBe(1);
  });
});
