import { constants, type Dirent, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { mapBounded } from '../common/bounded-map';
import { ManifestParseResult, parseManifest } from './plugin-manifest';
import { isTransientFsError, retryTransient } from './transient-fs';

// The registry's file-system side. Everything here treats PLUGINS_DIR as untrusted: only regular files inside it, of
// bounded size, are ever opened, and nothing read from a file is put into a reason.

/** The largest `metadata.json` that is opened; real manifests are a few kilobytes. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * How many folders are examined, and how many manifests read, at once. A read holds one file descriptor, and the
 * file system answers through libuv's four threads anyway: more in flight would only spend descriptors and memory.
 */
export const FILES_AT_ONCE = 8;

/**
 * What reading a manifest gave: the parsed manifest, a reason it is invalid, or a transient failure (out of file
 * descriptors even after retrying) that says nothing about the file and must be tried again, never remembered.
 */
export type ManifestReadResult = ManifestParseResult | { ok: false; reason: string; transient: true };

/** Opens a file as `fs.promises.open` does; a test passes one that fails or counts. */
export type OpenFile = (path: string, flags: number) => Promise<FileHandle>;

/** One sub-folder of PLUGINS_DIR: where its manifest is (with a signature of its metadata), or why it is unusable. */
export type ScannedFolder =
  | { readonly folder: string; readonly kind: 'manifest'; readonly path: string; readonly signature: string }
  | { readonly folder: string; readonly kind: 'invalid'; readonly reason: string };

/** `PLUGINS_DIR` resolved to its real path, against which every symlink is checked; rejects when it is unusable. */
export async function resolvePluginsDir(dir: string): Promise<string> {
  const real = await realpath(dir);
  if (!(await stat(real)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  return real;
}

/**
 * The plugin folders of `root` (a real path, see {@link resolvePluginsDir}), sorted so "the first of two duplicate
 * ids" means the same folder on every machine. Hidden entries and plain files are not plugins and are left out; a
 * folder symlink leading outside `root` is listed as invalid. Opens no file. Rejects only when `root` cannot be read.
 */
export async function scanPluginsDir(root: string): Promise<ScannedFolder[]> {
  // With their types, so a plain folder costs no lstat of its own (where the file system gives no type, Node lstats).
  const entries = await retryTransient(() => readdir(root, { withFileTypes: true }));
  const folders = entries.filter((entry) => !entry.name.startsWith('.')).sort(byName);
  const scanned = await mapBounded(folders, FILES_AT_ONCE, (entry) => scanFolder(root, entry));
  return scanned.filter((entry): entry is ScannedFolder => entry !== undefined);
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

async function scanFolder(root: string, entry: Dirent): Promise<ScannedFolder | undefined> {
  const folder = entry.name;
  const path = join(root, folder);
  let dir = path;
  if (entry.isSymbolicLink()) {
    const target = await realpath(path).catch(() => undefined);
    // A dangling link is not a folder, like a plain file.
    if (
      !target ||
      !(await stat(target).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      return undefined;
    if (!isInside(root, target))
      return { folder, kind: 'invalid', reason: 'the folder is a symlink leading outside PLUGINS_DIR' };
    dir = target;
  } else if (!entry.isDirectory()) {
    return undefined;
  }
  const manifest = await locateManifest(root, join(dir, 'metadata.json'));
  return 'reason' in manifest
    ? { folder, kind: 'invalid', reason: manifest.reason }
    : { folder, kind: 'manifest', ...manifest };
}

/** Where the manifest really is and a signature that changes when it does, or why it must not be opened. */
async function locateManifest(
  root: string,
  file: string,
): Promise<{ path: string; signature: string } | { reason: string }> {
  let info: Stats;
  try {
    info = await lstat(file);
  } catch (error) {
    return { reason: `metadata.json ${fsReason(error)}` };
  }
  let path = file;
  if (info.isSymbolicLink()) {
    try {
      path = await realpath(file);
      info = await stat(path);
    } catch (error) {
      return { reason: `metadata.json is a symlink whose target ${fsReason(error)}` };
    }
    if (!isInside(root, path)) return { reason: 'metadata.json is a symlink leading outside PLUGINS_DIR' };
  }
  const problem = fileProblem(info);
  if (problem) return { reason: `metadata.json ${problem}` };
  return { path, signature: `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}:${path}` };
}

/** Why a file of this type or size is refused, or `undefined` for a regular file of acceptable size. */
function fileProblem(info: Stats): string | undefined {
  if (info.isFile()) return info.size > MAX_MANIFEST_BYTES ? 'is larger than 1 MiB' : undefined;
  if (info.isDirectory()) return 'is a directory, not a file';
  if (info.isFIFO()) return 'is a FIFO, not a regular file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'is a device, not a regular file';
  if (info.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/**
 * Reads and parses the manifest at `path` (a real path from {@link scanPluginsDir}). The type and size are checked
 * again on the open descriptor — the file may have been swapped for a FIFO since the scan, and `O_NONBLOCK` keeps
 * opening one from waiting for a writer — and at most {@link MAX_MANIFEST_BYTES} + 1 bytes are read. An open that
 * fails for want of descriptors is tried again a few times ({@link retryTransient}), then answered as transient.
 * Never throws.
 */
export async function readManifestFile(path: string, openFile: OpenFile = open): Promise<ManifestReadResult> {
  let handle;
  try {
    handle = await retryTransient(() =>
      openFile(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW),
    );
  } catch (error) {
    return isTransientFsError(error)
      ? { ok: false, reason: `metadata.json cannot be opened for now: ${fsReason(error)}`, transient: true }
      : { ok: false, reason: `metadata.json cannot be opened: ${fsReason(error)}` };
  }
  try {
    const info = await handle.stat();
    const problem = fileProblem(info);
    if (problem) return { ok: false, reason: `metadata.json ${problem}` };
    // Sized by the file (plus one byte, to notice growth), not by the cap: thousands of 1 MiB buffers would cost
    // far more than the manifests themselves.
    let buffer = Buffer.allocUnsafe(Math.min(info.size + 1, MAX_MANIFEST_BYTES + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_MANIFEST_BYTES) return { ok: false, reason: 'metadata.json is larger than 1 MiB' };
        const grown = Buffer.allocUnsafe(Math.min(length * 2, MAX_MANIFEST_BYTES + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      // Exactly the size the descriptor reported, with room left for more: that is the end, without one more read
      // to be told so (a sixth of the calls of a first scan). A file still growing fills the spare byte instead.
      if (length === info.size && length < buffer.length) break;
    }
    if (length > MAX_MANIFEST_BYTES) return { ok: false, reason: 'metadata.json is larger than 1 MiB' };
    return parseManifest(buffer.toString('utf8', 0, length));
  } catch (error) {
    return { ok: false, reason: `metadata.json cannot be read: ${fsReason(error)}` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** A one-line, stack-free reason an operator can act on, for the errors `fs` raises most. */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'is not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'ELOOP') return 'is a symlink loop';
  if (code === 'EMFILE') return 'too many open files in this process (EMFILE)';
  if (code === 'ENFILE') return 'too many open files in the system (ENFILE)';
  return typeof code === 'string' ? code : 'unknown error';
}
