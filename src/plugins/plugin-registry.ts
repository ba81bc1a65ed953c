import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { resolve } from 'node:path';
import { HEALTH_SETTINGS, type HealthSettings } from '../health';
import { BinaryLocator } from './binary-locator';
import { PackageChecks, PackageNeeds } from './package-checks';
import { fullScanDelay, PluginFolderWatcher } from './plugin-folder-watcher';
import { PluginScanner, type RegistryState } from './plugin-scanner';
import { PLUGINS_SETTINGS, type PluginsSettings } from './plugins.settings';
import { evaluatePlugin, PluginEvaluation, requirementsOf } from './plugin-evaluation';
import { requiredBinaries } from './plugin-manifest';

/** The first report waits at most this long for the first scan and its package lists, however hung the disk. */
const STARTUP_WAIT_MS = 3000;
/** Changes reported by the watchers are gathered this long before one re-scan. */
const DEBOUNCE_MS = 150;
/**
 * This often, whatever the watchers say, the folder is checked for entries that came or went since the last scan
 * (one `stat`, and a listing when that changed), so a plugin added or removed shows within 5 s on any file system.
 */
const TICK_MS = 2000;

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
  private readonly scanner: PluginScanner;
  private loading?: Promise<void>;
  private first?: Promise<void>;
  private loadAgain = false;
  private lastEvaluation?: PluginEvaluation;
  /** `performance.now()` when {@link lastEvaluation} was decided: a wall-clock step must not make it look fresh. */
  private lastEvaluatedAt = 0;
  private evaluating?: Promise<PluginEvaluation>;
  /** `performance.now()` after which the next tick re-scans the whole folder whatever its listing says. */
  private fullScanDue = 0;

  constructor(
    @Inject(PLUGINS_SETTINGS.token) private readonly settings: PluginsSettings,
    @Inject(HEALTH_SETTINGS.token) private readonly freshness: Pick<HealthSettings, 'reportTtlMs'>,
  ) {
    this.locator = new BinaryLocator(settings.binaryPath);
    this.packages = new PackageChecks(this.locator, settings.binaryPath, settings.depsTtlMs);
    this.scanner = new PluginScanner(resolve(settings.dir), this.logger);
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

  /** The periodic fallback: a full scan when the entries of PLUGINS_DIR changed, or when one is due anyway. */
  private async tick(): Promise<void> {
    if (performance.now() >= this.fullScanDue || (await this.scanner.changed())) await this.reload();
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
    const began = performance.now();
    const { state, watch, transient } = await this.scanner.scan(this.state);
    if (watch) this.watcher?.sync(watch.root, watch.folders);
    const now = performance.now();
    this.fullScanDue = now + fullScanDelay(now - began, transient);
    return state;
  }
}
