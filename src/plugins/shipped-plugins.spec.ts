import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessModule } from '../access/access.module';
import { AppConfigModule } from '../config/app-config.module';
import { parseAppConfig } from '../app.composition';
import { settingsFrom } from '../config/settings';
import { PLUGINS_SETTINGS } from './plugins.settings';
import { catalogueEntry } from './diagnostics/install-catalogue';
import { requirementsOf } from './plugin-evaluation';
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

  it('loads at least 10 valid manifests through PluginsModule; with an empty PATH each says what it lacks', async () => {
    const config = parseAppConfig({ PLUGINS_DIR: SHIPPED, PATH: bin });
    const moduleRef = await Test.createTestingModule({
      // AccessModule: the diagnostics routes PluginsModule declares are guarded by the details tier.
      imports: [AppConfigModule.forRoot(config), AccessModule, PluginsModule],
    }).compile();
    await moduleRef.init();
    const evaluation = await moduleRef.get(PluginRegistry).evaluate();
    await moduleRef.close();

    // The only warning allowed is about package checks that cannot run with an empty PATH.
    expect(warn.mock.calls.filter(([line]) => !String(line).startsWith('packages unverified'))).toEqual([]);
    if (!evaluation.loaded) throw new Error(`shipped plugins failed to load: ${evaluation.error}`);
    expect(evaluation.invalid).toEqual([]);
    expect(evaluation.plugins.length).toBeGreaterThanOrEqual(10);
    const ids = evaluation.plugins.map((plugin) => plugin.manifest.id);
    expect(ids).toEqual(expect.arrayContaining(['nmap', 'nuclei', 'whois_lookup', 'sqlmap', 'sslyze']));
    expect(evaluation.plugins.every((plugin) => plugin.state === 'blocked' && plugin.missing.length > 0)).toBe(true);
  });

  it('every binary, Python package and system package a shipped manifest names has a catalogue entry', async () => {
    const registry = new PluginRegistry(settingsFrom(PLUGINS_SETTINGS, { PLUGINS_DIR: SHIPPED, PATH: bin }), {
      reportTtlMs: 0,
    });
    await registry.reload();
    const evaluation = await registry.evaluate();
    if (!evaluation.loaded) throw new Error(evaluation.error);
    const requirements = evaluation.plugins.flatMap((plugin) => requirementsOf(plugin.manifest));
    expect(requirements.filter(({ kind, name }) => !catalogueEntry(kind, name))).toEqual([]);
  });

  it('counts every shipped plugin runnable once all their binaries are on PATH and packages are not checked', async () => {
    const registry = new PluginRegistry(settingsFrom(PLUGINS_SETTINGS, { PLUGINS_DIR: SHIPPED, PATH: bin }), {
      reportTtlMs: 0,
    });
    await registry.reload();
    const before = await registry.evaluate();
    if (!before.loaded) throw new Error(before.error);
    const needed = [
      ...new Set(
        before.plugins.flatMap((plugin) => plugin.missing.filter((m) => m.kind === 'binary').map((m) => m.name)),
      ),
    ];
    expect(needed).toEqual(expect.arrayContaining(['nmap', 'testssl.sh', 'python3', 'docker']));
    await Promise.all(needed.map((name) => writeFile(join(bin, name), '#!/bin/sh\n', { mode: 0o755 })));
    const after = await registry.evaluate();
    if (!after.loaded) throw new Error(after.error);
    expect(after.plugins.flatMap((plugin) => plugin.missing.filter((m) => m.kind === 'binary'))).toEqual([]);
  });
});
