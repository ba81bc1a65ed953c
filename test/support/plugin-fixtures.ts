import { execFile } from 'node:child_process';
import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The committed fixture plugins (SecuScan's manifest format), one folder per state or reason; see its README. */
export const FIXTURE_PLUGINS_DIR = join(__dirname, '..', 'fixtures', 'plugins');

/**
 * A plugins folder whose one plugin needs only `sh`, which every machine has: the default of the apps the tests
 * start, so a report's status follows PostgreSQL and Redis alone, whatever scanners the machine has installed.
 */
export const RUNNABLE_PLUGINS_DIR = join(__dirname, '..', 'fixtures', 'plugins-runnable');

/** The largest manifest the registry opens; one byte more is "oversized". */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Copies the fixture plugin folders (all, or only `folders`) into `pluginsDir`, so a test may add, change and
 * delete plugins without touching the committed ones.
 */
export async function copyFixturePlugins(pluginsDir: string, folders?: readonly string[]): Promise<void> {
  await mkdir(pluginsDir, { recursive: true });
  if (!folders) {
    await cp(FIXTURE_PLUGINS_DIR, pluginsDir, { recursive: true, filter: (source) => !source.endsWith('README.md') });
    return;
  }
  await Promise.all(
    folders.map((folder) => cp(join(FIXTURE_PLUGINS_DIR, folder), join(pluginsDir, folder), { recursive: true })),
  );
}

/**
 * Writes `<pluginsDir>/<folder>/metadata.json`: a manifest that would be valid (id `oversized`, runnable with `sh`)
 * but is `bytes` long, padded inside its description, so only its size can be the reason it is rejected. Made at
 * run time because a committed file of more than 1 MiB would bloat the repository.
 */
export async function writeOversizedManifest(
  pluginsDir: string,
  folder = 'oversized',
  bytes = MAX_MANIFEST_BYTES + 1,
): Promise<string> {
  const manifest = {
    id: 'oversized',
    name: 'Invalid: manifest larger than 1 MiB',
    version: '1.0.0',
    description: '',
    engine: { type: 'cli', binary: 'sh' },
    dependencies: { binaries: ['sh'], python_packages: [], system_packages: [] },
  };
  const padding = bytes - Buffer.byteLength(JSON.stringify(manifest));
  if (padding < 0) throw new Error(`an oversized manifest cannot be smaller than ${bytes - padding} bytes`);
  manifest.description = 'x'.repeat(padding);
  const file = join(pluginsDir, folder, 'metadata.json');
  await mkdir(join(pluginsDir, folder), { recursive: true });
  await writeFile(file, JSON.stringify(manifest));
  return file;
}

/** The folders {@link createHostileEntries} makes, each holding a `metadata.json` the registry must never open. */
export const HOSTILE_FOLDERS = {
  /** `metadata.json` is a FIFO: opening it for reading would block until a writer appears. */
  fifo: 'hostile-fifo',
  /** `metadata.json` is a symlink to `/dev/zero`: reading it would never end. */
  devZero: 'hostile-dev-zero',
  /** `metadata.json` is a symlink to a valid manifest outside `PLUGINS_DIR`. */
  symlinkOutside: 'hostile-symlink-outside',
  /** The plugin folder itself is a symlink to a folder outside `PLUGINS_DIR`. */
  folderOutside: 'hostile-folder-outside',
  /** `metadata.json` is a directory. */
  directory: 'hostile-directory',
} as const;

/**
 * Creates, inside `pluginsDir`, the entries git cannot hold or that would point outside the checkout (see
 * {@link HOSTILE_FOLDERS}); the outside targets are written to `outsideDir`, which must not be inside `pluginsDir`.
 * Each outside manifest is itself valid (id `outside_<n>`), so only where it lives can make it invalid.
 */
export async function createHostileEntries(pluginsDir: string, outsideDir: string): Promise<void> {
  const folder = (name: string): string => join(pluginsDir, name);
  const outsideManifest = (id: string): string =>
    JSON.stringify({ id, name: 'Outside PLUGINS_DIR', version: '1.0.0', engine: { type: 'cli', binary: 'sh' } });

  await mkdir(folder(HOSTILE_FOLDERS.fifo), { recursive: true });
  await promisify(execFile)('mkfifo', [join(folder(HOSTILE_FOLDERS.fifo), 'metadata.json')]);

  await mkdir(folder(HOSTILE_FOLDERS.devZero), { recursive: true });
  await symlink('/dev/zero', join(folder(HOSTILE_FOLDERS.devZero), 'metadata.json'));

  await mkdir(join(outsideDir, 'manifest'), { recursive: true });
  await writeFile(join(outsideDir, 'manifest', 'metadata.json'), outsideManifest('outside_1'));
  await mkdir(folder(HOSTILE_FOLDERS.symlinkOutside), { recursive: true });
  const outsideFile = join(outsideDir, 'manifest', 'metadata.json');
  await symlink(outsideFile, join(folder(HOSTILE_FOLDERS.symlinkOutside), 'metadata.json'));

  await mkdir(join(outsideDir, 'plugin'), { recursive: true });
  await writeFile(join(outsideDir, 'plugin', 'metadata.json'), outsideManifest('outside_2'));
  await symlink(join(outsideDir, 'plugin'), folder(HOSTILE_FOLDERS.folderOutside));

  await mkdir(join(folder(HOSTILE_FOLDERS.directory), 'metadata.json'), { recursive: true });
}
