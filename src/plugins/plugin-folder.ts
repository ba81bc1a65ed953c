import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestParseResult, parseManifest } from './plugin-manifest';

// The registry's file-system side, kept apart so plugin-registry.ts holds only state and counting rules.

/** Sub-folders of `dir`, sorted so "the first of two duplicate ids" means the same folder on every machine. */
export async function listPluginFolders(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => !name.startsWith('.')).sort();
  // stat (not the dirent type) so a symlinked plugin folder counts; a dangling entry is just not a folder.
  const isDir = await Promise.all(
    names.map((name) =>
      stat(join(dir, name)).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  return names.filter((_, index) => isDir[index]);
}

/** Reads and parses one `metadata.json`; an unreadable file is an invalid manifest, never an exception. */
export async function readManifestFile(file: string): Promise<ManifestParseResult> {
  try {
    return parseManifest(await readFile(file, 'utf8'), file);
  } catch (error) {
    return { ok: false, reason: `${file}: ${shortReason(error)}` };
  }
}

/** A one-line, stack-free reason an operator can act on, for the errors `fs` raises most. */
export function shortReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'is not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
