import { Logger } from '@nestjs/common';
import { readdir, stat } from 'node:fs/promises';
import { ManifestCache } from './manifest-cache';
import type { InvalidManifest, LoadedPlugin } from './plugin-evaluation';
import { fsReason, resolvePluginsDir, scanPluginsDir } from './plugin-folder';
import { isTransientFsError } from './transient-fs';

/** What the registry knows of PLUGINS_DIR: its valid plugins and skipped folders, or why it cannot be read. */
export type RegistryState =
  | { loaded: true; dir: string; plugins: readonly LoadedPlugin[]; invalid: readonly InvalidManifest[] }
  | { loaded: false; error: string };

/** What one scan found, what to watch, and whether part of it must be read again soon. */
export interface ScanOutcome {
  readonly state: RegistryState;
  /** The folder to watch and its plugin folders; none when the scan could not tell (the watchers stay as they are). */
  readonly watch?: { readonly root: string; readonly folders: readonly string[] };
  /** Something could not be read for want of file descriptors (see `transient-fs.ts`): scan again at the next tick. */
  readonly transient: boolean;
}

/**
 * A folder's modification time may be as coarse as 2 s (FAT; 1 s on ext3 and HFS+): an entry added in the same
 * tick of that clock as the last listing leaves it unchanged, so a folder modified this recently is listed anyway.
 */
const COARSE_MTIME_MS = 2000;

/** The folder's entries as one string, and its own metadata when they were read. */
interface Listing {
  readonly names: string;
  /** Device, inode, mtime and ctime of the folder: any entry added, removed or renamed changes them. */
  readonly stamp: string;
  readonly mtimeMs: number;
  /** `Date.now()` when it was listed, on the same clock as the file times. */
  readonly at: number;
}

/**
 * Scans `PLUGINS_DIR` (an absolute path) into a {@link RegistryState}: new and changed manifests are read, unchanged
 * ones reused ({@link ManifestCache}). Each invalid manifest is logged once, when it first appears or its reason
 * changes; folders that could not be read for now, one line together. Never throws.
 */
export class PluginScanner {
  private readonly manifests = new ManifestCache();
  private readonly reported = new Map<string, string>();
  private lastSummary = '';
  private listing?: Listing;

  constructor(
    private readonly configured: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Whether entries came or went since the last {@link scan}, for the periodic fallback when watchers miss changes.
   * Costs one `stat` while the folder's own metadata is unchanged: listing 50,000 entries every 2 s was the largest
   * cost of an idle process. The folder is listed again (and compared) only when that metadata changed, or was
   * changed too recently for its clock to tell ({@link COARSE_MTIME_MS}).
   */
  async changed(): Promise<boolean> {
    const last = this.listing;
    if (!last) return true;
    const now = await this.folderStamp();
    if (now.stamp === last.stamp && now.mtimeMs < last.at - COARSE_MTIME_MS) return false;
    const listing = await this.list();
    if (listing.names !== last.names) return true;
    this.listing = listing;
    return false;
  }

  private async folderStamp(): Promise<Pick<Listing, 'stamp' | 'mtimeMs'>> {
    try {
      const info = await stat(this.configured);
      return { stamp: `${info.dev}:${info.ino}:${info.mtimeMs}:${info.ctimeMs}`, mtimeMs: info.mtimeMs };
    } catch (error) {
      return { stamp: `unreadable: ${fsReason(error)}`, mtimeMs: Infinity };
    }
  }

  /** The folder's entries now, with its metadata taken first, so a change made in between shows at the next look. */
  private async list(): Promise<Listing> {
    const at = Date.now();
    const { stamp, mtimeMs } = await this.folderStamp();
    try {
      return { names: (await readdir(this.configured)).sort().join('\u0000'), stamp, mtimeMs, at };
    } catch (error) {
      return { names: `unreadable: ${fsReason(error)}`, stamp, mtimeMs, at };
    }
  }

  /** Scans the folder; a listing that fails for want of descriptors keeps `previous`, as it says nothing of the folder. */
  async scan(previous: RegistryState): Promise<ScanOutcome> {
    this.listing = await this.list();
    let dir: string;
    let scanned;
    try {
      dir = await resolvePluginsDir(this.configured);
      scanned = await scanPluginsDir(dir);
    } catch (error) {
      const reason = fsReason(error);
      if (isTransientFsError(error) && previous.loaded) {
        this.logger.warn(`cannot list plugins directory ${this.configured} for now (${reason}); trying again soon`);
        return { state: previous, transient: true };
      }
      const message = `cannot read plugins directory ${this.configured}: ${reason}`;
      if (this.lastSummary !== message) this.logger.error(message);
      this.lastSummary = message;
      this.manifests.clear();
      this.reported.clear();
      const state = { loaded: false as const, error: message };
      return { state, watch: { root: this.configured, folders: [] }, transient: isTransientFsError(error) };
    }
    const { results, transient } = await this.manifests.pass(scanned);
    const plugins: LoadedPlugin[] = [];
    const invalid: InvalidManifest[] = [];
    const notNow = new Set<string>();
    const firstFolder = new Map<string, string>();
    for (const [folder, result] of results) {
      if (!result.ok) {
        // Listed with its reason until the next tick reads it again.
        if ('transient' in result) notNow.add(folder);
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
    this.report(dir, plugins.length, invalid, notNow);
    const folders = scanned.map((entry) => entry.folder);
    return { state: { loaded: true, dir, plugins, invalid }, watch: { root: dir, folders }, transient: transient > 0 };
  }

  /**
   * Logs what changed since the last scan: each newly invalid manifest once, and the count when it changes. Folders
   * that could not be read for now are one line together (thousands when the process is out of descriptors) and
   * are not remembered as reported, so a real fault found when they are read again is still logged.
   */
  private report(dir: string, loaded: number, invalid: readonly InvalidManifest[], notNow: ReadonlySet<string>): void {
    const lasting = invalid.filter(({ folder }) => !notNow.has(folder));
    if (notNow.size > 0) {
      const reason = invalid.find(({ folder }) => notNow.has(folder))?.reason;
      this.logger.warn(`${notNow.size} plugin manifest(s) not read for now (${reason}); trying again soon`);
    }
    for (const { folder, reason } of lasting) {
      if (this.reported.get(folder) !== reason) {
        // The logger escapes control characters in every line, names from the file system included.
        this.logger.warn(`Plugin skipped: ${folder}: ${reason}`);
      }
    }
    this.reported.clear();
    for (const { folder, reason } of lasting) this.reported.set(folder, reason);
    const summary = `Loaded ${loaded} plugin(s) from ${dir} (${invalid.length} invalid)`;
    if (summary !== this.lastSummary) this.logger.log(summary);
    this.lastSummary = summary;
  }
}
