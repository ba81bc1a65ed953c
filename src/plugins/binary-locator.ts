import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Answers "is this executable installed?" the way a shell would find it: an executable regular file of that name in
 * one of the directories of a `PATH` string. The `PATH` is handed in (from `AppConfig.binaryPath`) rather than read
 * from the environment, so tests can point it at a temporary folder.
 */
export class BinaryLocator {
  private readonly dirs: readonly string[];
  /** Each directory's last listing, reused while the directory is unchanged (see {@link listDirectory}). */
  private readonly listings = new Map<string, Listing>();

  /** @param pathString a `PATH`-style list of directories, separated by the platform's delimiter (`:` on POSIX). */
  constructor(pathString: string) {
    // A shell resolves empty and relative entries against its cwd; a health answer must not depend on ours: drop them.
    this.dirs = pathString.split(delimiter).filter((dir) => dir !== '' && isAbsolute(dir));
  }

  /**
   * The subset of `names` that is not installed, in the given order: a name is installed when it resolves to an
   * executable regular file, as a shell finds it (a name containing `/` is checked as a path). Nothing is cached:
   * a binary installed while the service runs shows up on the next call. Lists each `PATH` directory once and checks
   * only the files that are there, instead of probing every name in every directory: most of a scanner's binaries
   * are usually absent, and this runs on every health evaluation. A directory is listed again only when it changed
   * (its modification or change time moved): one `stat` a directory per call instead of reading thousands of names
   * from `/usr/bin`. Every name found is still checked (executable regular file) on every call.
   */
  async missing(names: readonly string[]): Promise<string[]> {
    const listings = await Promise.all(this.dirs.map((dir) => this.listDirectory(dir)));
    const installed = await Promise.all(
      names.map(async (name) => {
        if (name.trim() === '') return false;
        if (name.includes('/')) return isExecutableFile(name);
        for (const [i, dir] of this.dirs.entries()) {
          if (listings[i].has(name) && (await isExecutableFile(join(dir, name)))) return true;
        }
        return false;
      }),
    );
    return names.filter((_, index) => !installed[index]);
  }

  /** The full path a shell would run for `name` (the first executable regular file on PATH), or `undefined`. */
  async locate(name: string): Promise<string | undefined> {
    if (name.trim() === '' || name.includes('/')) return undefined;
    for (const dir of this.dirs) {
      if (await isExecutableFile(join(dir, name))) return join(dir, name);
    }
    return undefined;
  }

  /**
   * The entry names of `dir`; an unreadable or missing directory has none, as for a shell. The last listing is reused
   * while the directory's modification and change times are those it was listed at, and only once it was listed
   * more than {@link SETTLE_MS} after them: a directory changed again within its file system's timestamp
   * resolution would keep the same times, so a recently changed one is always listed afresh.
   */
  private async listDirectory(dir: string): Promise<ReadonlySet<string>> {
    try {
      const { mtimeMs, ctimeMs } = await stat(dir);
      const last = this.listings.get(dir);
      if (last && last.mtimeMs === mtimeMs && last.ctimeMs === ctimeMs && last.settled) return last.names;
      const listedAt = Date.now();
      const names = new Set(await readdir(dir));
      const settled = listedAt - Math.max(mtimeMs, ctimeMs) > SETTLE_MS;
      this.listings.set(dir, { mtimeMs, ctimeMs, settled, names });
      return names;
    } catch {
      this.listings.delete(dir);
      return new Set();
    }
  }
}

/** A directory's names as listed, with the times it had then. */
interface Listing {
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** Listed long enough after its last change that an unchanged time means unchanged names. */
  readonly settled: boolean;
  readonly names: ReadonlySet<string>;
}

/** Coarser than any file system's timestamps (FAT's are 2 s): a listing this long after a change is trusted. */
const SETTLE_MS = 2_000;

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    // access(X_OK) alone accepts directories (their x bit means "searchable"), hence the stat.
    const [, info] = await Promise.all([access(path, constants.X_OK), stat(path)]);
    return info.isFile();
  } catch {
    return false;
  }
}
