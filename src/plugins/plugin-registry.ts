import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { join, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { BinaryLocator } from './binary-locator';
import { listPluginFolders, readManifestFile, shortReason } from './plugin-folder';
import { PluginManifest, requiredBinaries } from './plugin-manifest';

/** One loaded plugin as the health report sees it; `missing` lists required binaries not found on `PATH`. */
export interface PluginView {
  id: string;
  name: string;
  runnable: boolean;
  missing: string[];
  disabled: boolean;
}

/** The registry's answer: counts and plugins when the folder was read, or why it could not be read. */
export type PluginRegistryStatus =
  { loaded: true; total: number; runnable: number; plugins: PluginView[] } | { loaded: false; error: string };

type LoadedPlugin = { manifest: PluginManifest; binaries: string[] };
type RegistryState = { loaded: true; plugins: readonly LoadedPlugin[] } | { loaded: false; error: string };

/**
 * The scanner's plugins, read from `<PLUGINS_DIR>/<id>/metadata.json`. Manifests are read once (at start and on
 * {@link reload}); whether each plugin can run is decided again at every {@link status} call, because binaries
 * are installed and removed while the service runs. Nothing here throws: a bad folder is a health answer.
 */
@Injectable()
export class PluginRegistry implements OnModuleInit {
  private readonly logger = new Logger('PluginRegistry');
  private readonly locator: BinaryLocator;
  private state: RegistryState = { loaded: false, error: 'plugin registry has not been loaded yet' };
  private generation = 0;

  /** @param config supplies `pluginsDir`, `disabledPlugins` and the `PATH` (`binaryPath`) binaries are looked up on. */
  constructor(private readonly config: AppConfig) {
    this.locator = new BinaryLocator(config.binaryPath);
  }

  /** Loads the manifests at startup; a missing folder leaves the registry failed but lets the service start. */
  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /**
   * Re-reads every manifest. Invalid or duplicate manifests are skipped with one warning each; an unreadable
   * folder marks the registry failed with a one-line error. Never throws.
   */
  async reload(): Promise<void> {
    // Two overlapping reloads may finish out of order; only the latest one started may replace the state.
    const generation = ++this.generation;
    let state: RegistryState;
    try {
      state = await this.load(resolve(this.config.pluginsDir));
    } catch (error) {
      state = { loaded: false, error: `plugin registry failed to load: ${shortReason(error)}` };
      this.logger.error(state.error);
    }
    if (generation === this.generation) this.state = state;
  }

  /**
   * Counts the loaded plugins and how many can run now: every required binary installed (looked up concurrently,
   * each distinct binary once) and the id not in `DISABLED_PLUGINS`. Never throws.
   */
  async status(): Promise<PluginRegistryStatus> {
    const state = this.state;
    if (!state.loaded) return { loaded: false, error: state.error };
    const distinct = [...new Set(state.plugins.flatMap((plugin) => plugin.binaries))];
    const absent = new Set(await this.locator.missing(distinct));
    const plugins = state.plugins.map(({ manifest, binaries }): PluginView => {
      const missing = binaries.filter((binary) => absent.has(binary));
      const disabled = this.config.disabledPlugins.has(manifest.id);
      return { id: manifest.id, name: manifest.name, runnable: missing.length === 0 && !disabled, missing, disabled };
    });
    return { loaded: true, total: plugins.length, runnable: plugins.filter((p) => p.runnable).length, plugins };
  }

  private async load(dir: string): Promise<RegistryState> {
    let folders: string[];
    try {
      folders = await listPluginFolders(dir);
    } catch (error) {
      const message = `cannot read plugins directory ${dir}: ${shortReason(error)}`;
      this.logger.error(message);
      return { loaded: false, error: message };
    }
    const files = folders.map((folder) => join(dir, folder, 'metadata.json'));
    const results = await Promise.all(files.map(readManifestFile));
    const plugins: LoadedPlugin[] = [];
    const firstFile = new Map<string, string>();
    for (const [index, result] of results.entries()) {
      if (!result.ok) {
        this.logger.warn(`Plugin skipped: ${result.reason}`);
        continue;
      }
      const { manifest } = result;
      const earlier = firstFile.get(manifest.id);
      if (earlier) {
        this.logger.warn(`Plugin skipped: ${files[index]}: duplicate id "${manifest.id}" (kept ${earlier})`);
        continue;
      }
      firstFile.set(manifest.id, files[index]);
      plugins.push({ manifest, binaries: requiredBinaries(manifest) });
    }
    this.logger.log(`Loaded ${plugins.length} plugin(s) from ${dir}`);
    return { loaded: true, plugins };
  }
}
