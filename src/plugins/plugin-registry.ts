import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HEALTH_SETTINGS, type HealthSettings } from '../health';
import { BinaryLocator } from './binary-locator';
import { PackageChecks, PackageNeeds } from './package-checks';
import { fsReason, readManifestFile, resolvePluginsDir, scanPluginsDir } from './plugin-folder';
import { PluginFolderWatcher } from './plugin-folder-watcher';
import { PLUGINS_SETTINGS, type PluginsSettings } from './plugins.settings';
import { evaluatePlugin, InvalidManifest, LoadedPlugin, PluginEvaluation, requirementsOf } from './plugin-evaluation';
import { ManifestParseResult, requiredBinaries } from './plugin-manifest';

/** The first report waits at most this long for the first scan and its package lists, however hung the disk. */
const STARTUP_WAIT_MS = 3000;
/** Changes reported by the watchers are gathered this long before one re-scan. */
const DEBOUNCE_MS = 150;
/**
 * This often, whatever the watchers say, the folder's list of entries is compared with the last scan's, so a plugin
 * added or removed shows within 5 s on any file system; one listing is cheap even with thousands of plugins.
 */
const TICK_MS = 2000;
/** Every this many ticks the whole folder is re-scanned (each manifest's metadata), to catch unwatched edits. */
const FULL_SCAN_TICKS = 5;

type RegistryState =
  | { loaded: true; dir: string; plugins: readonly LoadedPlugin[]; invalid: readonly InvalidManifest[] }
  | { loaded: false; error: string };

/**
 * The scanner's plugins, read from `<PLUGINS_DIR>/<id>/metadata.json` and kept current: the folder is watched and
 * re-scanned, and a manifest is read again only when its file changed. Whether each plugin can run is decided at
 * every {@link evaluate}: binaries are looked up again each time (each distinct name once); Python and Debian
 * packages come from the last background check. Nothing here throws: a bad folder is a health answer.
 */
@Injectable()
export class PluginRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PluginRegistry');
  private readonly locator: BinaryLocator;
  private readonly packages: PackageChecks;
  private watcher?: PluginFolderWatcher;
  private state: RegistryState = { loaded: false, error: 'plugin registry has not been loaded yet' };
  private readonly parsed = new Map<string, { signature: string; result: ManifestParseResult }>();
  private readonly reported = new Map<string, string>();
  private lastSummary = '';
  private loading?: Promise<void>;
  private first?: Promise<void>;
  private loadAgain = false;
  private lastEvaluation?: PluginEvaluation;
  /** `performance.now()` when {@link lastEvaluation} was decided: a wall-clock step must not make it look fresh. */
  private lastEvaluatedAt = 0;
  private evaluating?: Promise<PluginEvaluation>;
  private scannedNames = '';
  private ticks = 0;

  constructor(
    @Inject(PLUGINS_SETTINGS.token) private readonly settings: PluginsSettings,
    @Inject(HEALTH_SETTINGS.token) private readonly freshness: Pick<HealthSettings, 'reportTtlMs'>,
  ) {
    this.locator = new BinaryLocator(settings.binaryPath);
    this.packages = new PackageChecks(this.locator, settings.binaryPath, settings.depsTtlMs);
  }

  /**
   * Starts watching. The first scan waits for the first evaluation ({@link started}): neither start-up nor the first
   * answer to a liveness probe waits for the manifests or for the package lists they require (a subprocess each).
   */
  onModuleInit(): void {
    this.watcher = new PluginFolderWatcher(
      () => void this.reload(),
      () => void this.tick(),
      DEBOUNCE_MS,
      TICK_MS,
    );
  }

  /**
   * Starts the first scan unless it has begun, and resolves once it and the package lists it requires are in, or
   * {@link STARTUP_WAIT_MS} later at most (a hung file system or subprocess must not hold the first report); never
   * rejects. Every evaluation waits for it, so none reads the registry before its first scan.
   */
  started(): Promise<void> {
    return (this.first ??= this.firstScan());
  }

  private async firstScan(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((done) => (timer = setTimeout(done, STARTUP_WAIT_MS).unref()));
    // reload() tells the package checks what the plugins need; the first scan is in once the lists that brings are.
    await Promise.race([this.reload().then(() => this.packages.settled()), bound]);
    clearTimeout(timer);
  }

  /** Stops watching, re-scanning and package checks, so nothing outlives the app. */
  onModuleDestroy(): void {
    this.watcher?.close();
    this.packages.stop();
  }

  /**
   * Re-scans the folder: new and changed manifests are read, unchanged ones reused. Calls made while a scan runs are
   * folded into one more scan after it. Each invalid manifest is logged once, when it first appears or its reason
   * changes. Never throws.
   */
  reload(): Promise<void> {
    if (this.loading) {
      this.loadAgain = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.loadAgain = false;
        this.state = await this.load();
        // In the same turn as the new state, so no evaluation reads a list as unneeded that a plugin now needs.
        void this.packages.need(this.packageNeeds());
      } while (this.loadAgain);
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Which package lists the loaded plugins require. */
  private packageNeeds(): PackageNeeds {
    const plugins = this.state.loaded ? this.state.plugins : [];
    const kinds = new Set(plugins.flatMap((plugin) => requirementsOf(plugin.manifest).map((r) => r.kind)));
    return { python: kinds.has('python_package'), system: kinds.has('system_package') };
  }

  /** The periodic fallback: a full scan when the entries of PLUGINS_DIR changed, and every few ticks anyway. */
  private async tick(): Promise<void> {
    this.ticks = (this.ticks + 1) % FULL_SCAN_TICKS;
    if (this.ticks === 0 || (await this.listNames()) !== this.scannedNames) await this.reload();
  }

  private async listNames(): Promise<string> {
    try {
      return (await readdir(resolve(this.settings.dir))).sort().join('\u0000');
    } catch (error) {
      return `unreadable: ${fsReason(error)}`;
    }
  }

  /**
   * Decides every plugin's state now and keeps the answer for {@link latest}; a call made while one runs joins it, so
   * concurrent callers share one set of binary look-ups. Waits for {@link started} (the first call starts the first
   * scan); starts no other package check: packages come from the last one.
   */
  evaluate(): Promise<PluginEvaluation> {
    return (this.evaluating ??= this.decide().finally(() => (this.evaluating = undefined)));
  }

  /**
   * An evaluation no older than `HEALTH_CACHE_TTL_MS`: the latest while it is that fresh, else the one running or a
   * new one, so what a reader sees never lags behind an install by more than the TTL, whether or not anything
   * polls the health report. Never waits on a package check.
   */
  fresh(): Promise<PluginEvaluation> {
    const latest = this.lastEvaluation;
    if (latest && performance.now() - this.lastEvaluatedAt < this.freshness.reportTtlMs) return Promise.resolve(latest);
    return this.evaluate();
  }

  private async decide(): Promise<PluginEvaluation> {
    await this.started();
    const state = this.state;
    const checkedAt = new Date();
    const startedAt = performance.now();
    let evaluation: PluginEvaluation;
    if (!state.loaded) evaluation = { loaded: false, error: state.error, checkedAt };
    else {
      const distinct = [...new Set(state.plugins.flatMap((plugin) => requiredBinaries(plugin.manifest)))];
      const now = {
        absentBinaries: new Set(await this.locator.missing(distinct)),
        python: this.packages.python,
        system: this.packages.system,
        disabled: this.settings.disabled,
      };
      const plugins = state.plugins.map((plugin) => evaluatePlugin(plugin, now));
      evaluation = { loaded: true, dir: state.dir, plugins, invalid: state.invalid, checkedAt };
    }
    // Its age counts from when it started looking, like checked_at, so "fresh" never overstates what it saw.
    this.lastEvaluatedAt = startedAt;
    return (this.lastEvaluation = evaluation);
  }

  /** The latest evaluation, without starting one. */
  get latest(): PluginEvaluation | undefined {
    return this.lastEvaluation;
  }

  private async load(): Promise<RegistryState> {
    this.scannedNames = await this.listNames();
    const configured = resolve(this.settings.dir);
    let dir: string;
    let scanned;
    try {
      dir = await resolvePluginsDir(configured);
      scanned = await scanPluginsDir(dir);
    } catch (error) {
      const message = `cannot read plugins directory ${configured}: ${fsReason(error)}`;
      if (this.lastSummary !== message) this.logger.error(message);
      this.lastSummary = message;
      this.parsed.clear();
      this.reported.clear();
      this.watcher?.sync(configured, []);
      return { loaded: false, error: message };
    }
    this.watcher?.sync(
      dir,
      scanned.map((entry) => entry.folder),
    );
    const results = await Promise.all(
      scanned.map(async (entry): Promise<[string, ManifestParseResult]> => {
        if (entry.kind === 'invalid') return [entry.folder, { ok: false, reason: entry.reason }];
        const cached = this.parsed.get(entry.folder);
        if (cached?.signature === entry.signature) return [entry.folder, cached.result];
        const result = await readManifestFile(entry.path);
        this.parsed.set(entry.folder, { signature: entry.signature, result });
        return [entry.folder, result];
      }),
    );
    const present = new Set(scanned.map((entry) => entry.folder));
    for (const folder of this.parsed.keys()) if (!present.has(folder)) this.parsed.delete(folder);

    const plugins: LoadedPlugin[] = [];
    const invalid: InvalidManifest[] = [];
    const firstFolder = new Map<string, string>();
    for (const [folder, result] of results) {
      if (!result.ok) {
        invalid.push({ folder, reason: result.reason });
        continue;
      }
      const earlier = firstFolder.get(result.manifest.id);
      if (earlier !== undefined) {
        invalid.push({ folder, reason: `duplicate id (already declared in folder ${earlier})` });
        continue;
      }
      firstFolder.set(result.manifest.id, folder);
      plugins.push({ folder, manifest: result.manifest });
    }
    this.report(dir, plugins.length, invalid);
    return { loaded: true, dir, plugins, invalid };
  }

  /** Logs what changed since the last scan: each newly invalid manifest once, and the count when it changes. */
  private report(dir: string, loaded: number, invalid: readonly InvalidManifest[]): void {
    const now = new Map(invalid.map(({ folder, reason }) => [folder, reason]));
    for (const [folder, reason] of now) {
      if (this.reported.get(folder) !== reason) {
        // The logger escapes control characters in every line, names from the file system included.
        this.logger.warn(`Plugin skipped: ${folder}: ${reason}`);
      }
    }
    this.reported.clear();
    for (const [folder, reason] of now) this.reported.set(folder, reason);
    const summary = `Loaded ${loaded} plugin(s) from ${dir} (${invalid.length} invalid)`;
    if (summary !== this.lastSummary) this.logger.log(summary);
    this.lastSummary = summary;
  }
}
