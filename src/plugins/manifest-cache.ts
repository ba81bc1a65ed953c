import { mapBounded } from '../common/bounded-map';
import { FILES_AT_ONCE, type ManifestReadResult, readManifestFile, type ScannedFolder } from './plugin-folder';

/** What one pass over the scanned folders gave: each folder's result, and whether any read was only "not now". */
export interface ManifestPass {
  readonly results: ReadonlyArray<readonly [folder: string, result: ManifestReadResult]>;
  /** Some manifest could not be opened for want of file descriptors: read the folder again soon. */
  readonly transient: number;
}

/**
 * The parsed manifests of the last scan, keyed by folder and kept while the file's signature (device, inode, size,
 * times) is unchanged, so a re-scan reads only what changed. Reads run {@link FILES_AT_ONCE} at a time, never one
 * per folder at once. A transient failure is passed on but never kept: the same file is read again next time.
 */
export class ManifestCache {
  private readonly parsed = new Map<string, { signature: string; result: ManifestReadResult }>();

  constructor(
    private readonly read: (path: string) => Promise<ManifestReadResult> = readManifestFile,
    private readonly atOnce = FILES_AT_ONCE,
  ) {}

  /** Each scanned folder's manifest, read again only when new, changed, or transiently unreadable last time. */
  async pass(scanned: readonly ScannedFolder[]): Promise<ManifestPass> {
    let transient = 0;
    const results = await mapBounded(scanned, this.atOnce, async (entry) => {
      if (entry.kind === 'invalid') return [entry.folder, { ok: false, reason: entry.reason }] as const;
      const cached = this.parsed.get(entry.folder);
      if (cached?.signature === entry.signature) return [entry.folder, cached.result] as const;
      const result = await this.read(entry.path);
      if ('transient' in result) {
        transient++;
        this.parsed.delete(entry.folder);
      } else this.parsed.set(entry.folder, { signature: entry.signature, result });
      return [entry.folder, result] as const;
    });
    const present = new Set(scanned.map((entry) => entry.folder));
    for (const folder of this.parsed.keys()) if (!present.has(folder)) this.parsed.delete(folder);
    return { results, transient };
  }

  /** Forgets every manifest, e.g. when the folder itself can no longer be read. */
  clear(): void {
    this.parsed.clear();
  }
}
