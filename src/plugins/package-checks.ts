import { Logger } from '@nestjs/common';
import { BinaryLocator } from './binary-locator';
import { debianPackages, PackageInventory, pythonDistributions } from './package-inventory';

/** A check stuck longer than this is killed and counts as unverified. */
const CHECK_TIMEOUT_MS = 5000;

const PENDING: PackageInventory = { state: 'unverified', reason: 'the first package check has not finished' };

/**
 * The installed Python distributions and Debian packages, listed in the background: at start, then at most once
 * per `HEALTH_PLUGIN_DEPS_TTL_MS`, each by one short subprocess with a timeout. Health evaluations only read the
 * last lists, so no probe ever waits for a subprocess. The timer is unref'd and {@link stop} kills a check in flight,
 * so neither keeps the process from exiting.
 */
export class PackageChecks {
  private readonly logger = new Logger('PluginPackages');
  private pythonInventory: PackageInventory = PENDING;
  private systemInventory: PackageInventory = PENDING;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly stopper = new AbortController();
  private lastProblems = '';

  constructor(
    private readonly locator: BinaryLocator,
    private readonly path: string,
    private readonly ttlMs: number,
  ) {}

  /** The Python distributions of the `python3` on PATH, as last listed. */
  get python(): PackageInventory {
    return this.pythonInventory;
  }

  /** The Debian packages, as last listed. */
  get system(): PackageInventory {
    return this.systemInventory;
  }

  /** Runs the first check and schedules the next ones; resolves when the first one has finished. */
  start(): Promise<void> {
    return this.refresh();
  }

  /** Stops the schedule and kills a check in flight. */
  stop(): void {
    clearTimeout(this.timer);
    this.stopper.abort();
  }

  private refresh(): Promise<void> {
    this.running ??= this.check().finally(() => {
      this.running = undefined;
      if (this.stopper.signal.aborted) return;
      this.timer = setTimeout(() => void this.refresh(), this.ttlMs);
      this.timer.unref();
    });
    return this.running;
  }

  private async check(): Promise<void> {
    const [python3, dpkgQuery] = await Promise.all([this.locator.locate('python3'), this.locator.locate('dpkg-query')]);
    const options = { path: this.path, timeoutMs: CHECK_TIMEOUT_MS, signal: this.stopper.signal };
    const [python, system] = await Promise.all([
      pythonDistributions(python3, options),
      debianPackages(dpkgQuery, options),
    ]);
    if (this.stopper.signal.aborted) return;
    this.pythonInventory = python;
    this.systemInventory = system;
    // Said once when it starts (or changes), not every TTL: a machine without dpkg stays without it.
    const problems = [python, system].flatMap((inventory) =>
      inventory.state === 'unverified' ? [inventory.reason] : [],
    );
    const text = problems.join('; ');
    if (text !== this.lastProblems && text) this.logger.warn(`packages unverified: ${text}`);
    this.lastProblems = text;
  }
}
