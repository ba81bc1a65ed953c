import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfigModule } from '../config/app-config.module';
import { parseConfig } from '../config/app-config';
import { PluginRegistry } from './plugin-registry';
import { PluginsModule } from './plugins.module';

// The `plugins/` folder at the repository root is the default PLUGINS_DIR: a broken manifest there ships a warning
// (and a lower total) to every installation, so it is held to "every manifest valid".
const SHIPPED = join(__dirname, '..', '..', 'plugins');

describe('shipped plugins/ folder', () => {
  let bin: string;
  let warn: jest.SpyInstance;

  beforeEach(async () => {
    bin = await mkdtemp(join(tmpdir(), 'shipped-plugins-bin-'));
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(bin, { recursive: true, force: true });
  });

  it('loads at least 10 valid manifests through PluginsModule, with zero warnings', async () => {
    const config = parseConfig({ PLUGINS_DIR: SHIPPED, PATH: bin });
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), PluginsModule],
    }).compile();
    await moduleRef.init();

    const status = await moduleRef.get(PluginRegistry).status();
    await moduleRef.close();

    expect(warn.mock.calls).toEqual([]);
    if (!status.loaded) throw new Error(`shipped plugins failed to load: ${status.error}`);
    expect(status.total).toBeGreaterThanOrEqual(10);
    const ids = status.plugins.map((plugin) => plugin.id);
    expect(ids).toEqual(
      expect.arrayContaining(['nmap', 'nuclei', 'whois_lookup', 'sqlmap', 'testssl', 'sslyze', 'zap_baseline']),
    );
    // With an empty PATH nothing can run, and each plugin says what it lacks.
    expect(status.runnable).toBe(0);
    expect(status.plugins.every((plugin) => plugin.missing.length > 0)).toBe(true);
  });

  it('counts every shipped plugin as runnable once all their binaries are on PATH', async () => {
    const registry = new PluginRegistry(parseConfig({ PLUGINS_DIR: SHIPPED, PATH: bin }));
    await registry.reload();
    const before = await registry.status();
    if (!before.loaded) throw new Error(before.error);
    const needed = [...new Set(before.plugins.flatMap((plugin) => plugin.missing))];
    expect(needed).toEqual(expect.arrayContaining(['nmap', 'testssl.sh', 'python3', 'docker']));

    await Promise.all(needed.map((name) => writeFile(join(bin, name), '#!/bin/sh\n', { mode: 0o755 })));

    await expect(registry.status()).resolves.toMatchObject({
      loaded: true,
      total: before.total,
      runnable: before.total,
    });
  });
});
