import { Logger } from '@nestjs/common';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../config/app-config';
import { PluginRegistry } from './plugin-registry';

const sslyze = { id: 'sslyze', name: 'SSLyze', engine: { type: 'python' }, dependencies: { binaries: ['python3'] } };

describe('PluginRegistry lifecycle and failures', () => {
  let root: string;
  let plugins: string;
  let error: jest.SpyInstance;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-registry-lifecycle-'));
    plugins = join(root, 'plugins');
    await mkdir(plugins);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(root, { recursive: true, force: true });
  });

  async function aFile(): Promise<string> {
    await writeFile(join(root, 'file'), 'not a folder');
    return join(root, 'file');
  }

  it.each([
    ['is missing', (): Promise<string> => Promise.resolve(join(root, 'nowhere')), /nowhere: does not exist$/],
    ['is a file', aFile, /file: is not a directory$/],
  ])('fails without throwing when PLUGINS_DIR %s, with a short error logged once', async (_, makeDir, message) => {
    const registry = new PluginRegistry(parseConfig({ PLUGINS_DIR: await makeDir(), PATH: '' }));
    await expect(registry.onModuleInit()).resolves.toBeUndefined();

    const status = await registry.status();

    expect(status).toEqual({ loaded: false, error: expect.stringMatching(message) });
    expect(!status.loaded && status.error.split('\n')).toHaveLength(1);
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('answers "not loaded" before init, and reload() picks up added and removed folders', async () => {
    const registry = new PluginRegistry(parseConfig({ PLUGINS_DIR: plugins, PATH: '' }));
    await expect(registry.status()).resolves.toEqual({
      loaded: false,
      error: expect.stringMatching(/not been loaded/),
    });

    await registry.onModuleInit();
    await expect(registry.status()).resolves.toMatchObject({ loaded: true, total: 0, runnable: 0 });
    await mkdir(join(plugins, 'sslyze'));
    await writeFile(join(plugins, 'sslyze', 'metadata.json'), JSON.stringify(sslyze));
    await registry.reload();
    await expect(registry.status()).resolves.toMatchObject({ loaded: true, total: 1 });
    await rm(plugins, { recursive: true });
    await registry.reload();
    await expect(registry.status()).resolves.toMatchObject({ loaded: false });
  });
});
