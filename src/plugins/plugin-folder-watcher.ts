import { FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';

/** Watching more folders than this would spend inotify watches the rest of the machine needs; the re-scan covers them. */
const MAX_WATCHED_FOLDERS = 1000;

/** A full re-scan (every manifest's metadata, for edits no watcher saw) comes this long after the last at the soonest... */
const FULL_SCAN_MS = 10_000;
/**
 * ...and never sooner than this many times as long as the last scan took, so re-scanning a large folder costs the
 * idle process at most about 1/40 of a core (50,000 plugins take about half a second to stat on a busy machine).
 */
const FULL_SCAN_SPACING = 40;

/**
 * How long after a scan that took `lastScanMs` the next full re-scan is due: at once (the next tick) when some of it
 * could not be read for want of file descriptors, else {@link FULL_SCAN_MS} or {@link FULL_SCAN_SPACING} times the
 * scan's duration, whichever is longer.
 */
export function fullScanDelay(lastScanMs: number, transient: boolean): number {
  return transient ? 0 : Math.max(FULL_SCAN_MS, FULL_SCAN_SPACING * lastScanMs);
}

/**
 * Calls `onChange` (debounced) when anything changes in PLUGINS_DIR or one of its plugin folders, and `onTick` every
 * `rescanMs` whatever the watchers say, because they miss changes on some file systems (network mounts, some
 * container volumes) or fail outright. Watcher errors are swallowed: the periodic re-scan is the fallback. Nothing here keeps the process
 * alive, and {@link close} releases every watcher and timer.
 */
export class PluginFolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private debounce?: NodeJS.Timeout;
  private readonly rescan: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly onChange: () => void,
    onTick: () => void,
    private readonly debounceMs: number,
    rescanMs: number,
  ) {
    this.rescan = setInterval(onTick, rescanMs).unref();
  }

  /** Watches `root` and exactly the given sub-folders of it, adding and closing watchers as folders come and go. */
  sync(root: string, folders: readonly string[]): void {
    if (this.closed) return;
    const wanted = new Set([root, ...folders.slice(0, MAX_WATCHED_FOLDERS).map((folder) => join(root, folder))]);
    for (const [path, watcher] of this.watchers) {
      if (!wanted.has(path)) {
        watcher.close();
        this.watchers.delete(path);
      }
    }
    for (const path of wanted) if (!this.watchers.has(path)) this.add(path);
  }

  /** Stops watching and re-scanning. */
  close(): void {
    this.closed = true;
    clearInterval(this.rescan);
    clearTimeout(this.debounce);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private add(path: string): void {
    try {
      const watcher = watch(path, { persistent: false }, () => this.changed());
      watcher.on('error', () => {
        // Typically the folder was deleted: forget the watcher; the next sync re-adds it if the folder is back.
        watcher.close();
        if (this.watchers.get(path) === watcher) this.watchers.delete(path);
        this.changed();
      });
      this.watchers.set(path, watcher);
    } catch {
      // Out of inotify watches, or the folder vanished: the periodic re-scan still sees it.
    }
  }

  private changed(): void {
    if (this.closed) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.onChange(), this.debounceMs).unref();
  }
}
