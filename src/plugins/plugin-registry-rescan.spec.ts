import { Logger } from '@nestjs/common';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../test/support/wait';
import { settingsFrom } from '../config/settings';
import type { PluginEvaluation } from './plugin-evaluation';
import * as folder from './plugin-folder';
import { fullScanDelay } from './plugin-folder-watcher';
import { PluginRegistry } from './plugin-registry';
import { PLUGINS_SETTINGS } from './plugins.settings';

// The folder module as it is, with its exports as plain properties the tests can spy on (compiled modules export
// read-only bindings, as ES modules do).
jest.mock('./plugin-folder', () => ({ __esModule: true, ...jest.requireActual<object>('./plugin-folder') }));

const fsError = (code: string) => Object.assign(new Error(`${code}: fake`), { code });
const manifest = (id: string) => ({ id, name: id, engine: { type: 'cli', binary: 'sh' } });

/**
 * The registry when the process runs out of file descriptors: what could not be read for now is read again at the
 * next tick (2 s), without any change to the file, and never remembered as invalid. The fake is only the failure:
 * the folder, the files and the registry's timers are real.
 */
describe('PluginRegistry re-scans', () => {
  let root: string;
  let registry: PluginRegistry | undefined;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  const warnings = () => warn.mock.calls.map(([line]) => String(line));
  const loaded = (evaluation: PluginEvaluation) => {
    if (!evaluation.loaded) throw new Error(evaluation.error);
    return evaluation;
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-rescan-'));
    for (const id of ['alpha', 'beta']) {
      await mkdir(join(root, id));
      await writeFile(join(root, id, 'metadata.json'), JSON.stringify(manifest(id)));
    }
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  /** A registry over `root`, made after the test's spies so that it reads through them. */
  async function start(): Promise<PluginRegistry> {
    const settings = settingsFrom(PLUGINS_SETTINGS, { PLUGINS_DIR: root, PATH: '/bin:/usr/bin' });
    registry = new PluginRegistry(settings, { reportTtlMs: 0 });
    registry.onModuleInit();
    await registry.started();
    return registry;
  }

  afterEach(async () => {
    registry?.onModuleDestroy();
    registry = undefined;
    jest.restoreAllMocks();
    await rm(root, { recursive: true, force: true });
  });

  it('reads a manifest that could not be opened for want of descriptors again at the next tick, unchanged', async () => {
    const read = folder.readManifestFile;
    // The first read of beta meets EMFILE on every try (the real retries run); every other read is the real one.
    jest
      .spyOn(folder, 'readManifestFile')
      .mockImplementation((path) =>
        path.includes('beta') && !warnings().some((line) => line.includes('not read for now'))
          ? read(path, () => Promise.reject(fsError('EMFILE')))
          : read(path),
      );
    const reg = await start();

    const first = loaded(await reg.evaluate());
    expect(first.plugins.map((p) => p.manifest.id)).toEqual(['alpha']);
    expect(first.invalid).toEqual([
      {
        folder: 'beta',
        reason: 'metadata.json cannot be opened for now: too many open files in this process (EMFILE)',
      },
    ]);
    expect(warnings()).toEqual([
      '1 plugin manifest(s) not read for now (metadata.json cannot be opened for now: too many open files in this ' +
        'process (EMFILE)); trying again soon',
    ]);

    const healed = await waitFor(
      async () => {
        const evaluation = loaded(await reg.evaluate());
        return evaluation.plugins.length === 2 && evaluation;
      },
      { what: 'beta to be read again at the next tick', timeoutMs: 8000 },
    );
    expect(healed.invalid).toEqual([]);
    // Never reported as a skipped plugin: it never was one.
    expect(warnings().filter((line) => line.startsWith('Plugin skipped'))).toEqual([]);
  });

  it('keeps the plugins of the last scan when the folder cannot be listed for want of descriptors', async () => {
    const reg = await start();
    const listing = jest.spyOn(folder, 'scanPluginsDir').mockRejectedValueOnce(fsError('EMFILE'));

    await reg.reload();

    expect(listing).toHaveBeenCalledTimes(1);
    expect(loaded(await reg.evaluate()).plugins.map((p) => p.manifest.id)).toEqual(['alpha', 'beta']);
    expect(error).not.toHaveBeenCalled();
    expect(warnings()).toEqual([
      `cannot list plugins directory ${root} for now (too many open files in this process (EMFILE)); trying again soon`,
    ]);
  });
});

describe('fullScanDelay', () => {
  it('re-scans after 10 s, or 40 times as long as the last scan took when that is longer', () => {
    expect(fullScanDelay(3, false)).toBe(10_000);
    expect(fullScanDelay(250, false)).toBe(10_000);
    expect(fullScanDelay(600, false)).toBe(24_000);
  });

  it('re-scans at the next tick when something could not be read for want of descriptors', () => {
    expect(fullScanDelay(600, true)).toBe(0);
  });
});
