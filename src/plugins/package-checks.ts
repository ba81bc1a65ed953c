import { Logger } from '@nestjs/common';
import { BinaryLocator } from './binary-locator';
import { debianPackages, PackageInventory, pythonDistributions } from './package-inventory';

/** A check stuck longer than this is killed and counts as unverified. */
const CHECK_TIMEOUT_MS = 5000;

const PENDING: PackageInventory = { state: 'unverified', reason: 'the first package check has not finished' };
const NOT_NEEDED: PackageInventory = { state: 'unverified', reason: 'no plugin requires these packages' };

/** Which lists the loaded plugins need: Python distributions, Debian packages, or both. */
export interface PackageNeeds {
  readonly python: boolean;
  readonly system: boolean;
}

type Kind = keyof PackageNeeds;
const KINDS: readonly Kind[] = ['python', 'system'];

/** The program that lists each kind, and how its answer is read. */
const LISTERS: Record<Kind, { tool: string; list: typeof pythonDistributions }> = {
  python: { tool: 'python3', list: pythonDistributions },
  system: { tool: 'dpkg-query', list: debianPackages },
};

/**
 * The installed Python distributions and Debian packages, listed in the background: as soon as a loaded plugin
 * needs a list, then at most once per `HEALTH_PLUGIN_DEPS_TTL_MS`, each by one short subprocess with a timeout. A
 * list no plugin needs is not taken at all, so a registry without package requirements never starts a subprocess.
 * Health evaluations only read the last lists, so no probe ever waits for a subprocess. The timer is unref'd and
 * {@link stop} kills a check in flight, so neither keeps the process from exiting.
 */
export class PackageChecks {
  private readonly logger = new Logger('PluginPackages');
  private readonly lists: Record<Kind, PackageInventory> = { python: NOT_NEEDED, system: NOT_NEEDED };
  private needs: PackageNeeds = { python: false, system: false };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private checkAgain = false;
  private readonly stopper = new AbortController();
  private lastProblems = '';

  constructor(
    private readonly locator: BinaryLocator,
    private readonly path: string,
    private readonly ttlMs: number,
  ) {}

  /** The Python distributions of the `python3` on PATH, as last listed. */
  get python(): PackageInventory {
    return this.lists.python;
  }

  /** The Debian packages, as last listed. */
  get system(): PackageInventory {
    return this.lists.system;
  }

  /**
   * Says which lists the plugins need now. A list newly needed is taken at once (the TTL does not apply to a list
   * never taken); a list no longer needed is dropped at the next check. Resolves when the lists needed are current.
   */
  need(needs: PackageNeeds): Promise<void> {
    this.needs = needs;
    if (this.stopper.signal.aborted) return Promise.resolve();
    const fresh = KINDS.filter((kind) => needs[kind] && this.lists[kind] === NOT_NEEDED);
    if (!fresh.length) return this.settled();
    for (const kind of fresh) this.lists[kind] = PENDING;
    return this.refresh();
  }

  /** Resolves when the check in flight, if any, has finished. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Stops the schedule and kills a check in flight. */
  stop(): void {
    clearTimeout(this.timer);
    this.stopper.abort();
  }

  /** Runs a check now, or once more right after the one in flight (which may not cover a list just needed). */
  private refresh(): Promise<void> {
    if (this.running) {
      this.checkAgain = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.running = (async () => {
      do {
        this.checkAgain = false;
        await this.check();
      } while (this.checkAgain && !this.stopper.signal.aborted);
    })().finally(() => {
      this.running = undefined;
      if (this.stopper.signal.aborted || !KINDS.some((kind) => this.needs[kind])) return;
      this.timer = setTimeout(() => void this.refresh(), this.ttlMs);
      this.timer.unref();
    });
    return this.running;
  }

  private async check(): Promise<void> {
    const needs = this.needs;
    const options = { path: this.path, timeoutMs: CHECK_TIMEOUT_MS, signal: this.stopper.signal };
    const taken = await Promise.all(
      KINDS.map(async (kind) => {
        if (!needs[kind]) return NOT_NEEDED;
        const { tool, list } = LISTERS[kind];
        return list(await this.locator.locate(tool), options);
      }),
    );
    if (this.stopper.signal.aborted) return;
    KINDS.forEach((kind, i) => {
      // No longer needed (it may have been when this check began): dropped now, for no check may follow to drop it.
      if (!this.needs[kind]) this.lists[kind] = NOT_NEEDED;
      else if (needs[kind]) this.lists[kind] = taken[i];
      // Else needed only since this check began: it stays pending, and the check that follows at once takes it.
    });
    // Said once when it starts (or changes), not every TTL: a machine without dpkg stays without it.
    const problems = taken.flatMap((inventory) =>
      inventory.state === 'unverified' && inventory !== NOT_NEEDED ? [inventory.reason] : [],
    );
    const text = problems.join('; ');
    if (text !== this.lastProblems && text) this.logger.warn(`packages unverified: ${text}`);
    this.lastProblems = text;
  }
}
