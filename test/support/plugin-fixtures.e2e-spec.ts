import { lstat, mkdtemp, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FIXTURE_PLUGINS_DIR,
  HOSTILE_FOLDERS,
  MAX_MANIFEST_BYTES,
  copyFixturePlugins,
  createHostileEntries,
  writeOversizedManifest,
} from './plugin-fixtures';

type Manifest = {
  id?: unknown;
  name?: unknown;
  engine?: { type?: unknown; binary?: unknown };
  dependencies?: { binaries?: string[]; python_packages?: string[]; system_packages?: string[] };
};

const ENGINE_TYPES = ['cli', 'python', 'docker'];

async function manifestText(folder: string): Promise<string> {
  return readFile(join(FIXTURE_PLUGINS_DIR, folder, 'metadata.json'), 'utf8');
}

async function manifest(folder: string): Promise<Manifest> {
  return JSON.parse(await manifestText(folder)) as Manifest;
}

/** Every binary a manifest names, engine first. */
function binaries(m: Manifest): unknown[] {
  return [m.engine?.binary, ...(m.dependencies?.binaries ?? [])].filter((name) => name !== undefined);
}

// What each committed fixture must keep being, so a later edit cannot quietly make a "blocked" fixture runnable or
// an "invalid" one valid for a different reason than its folder name says.
const EXPECTATIONS: Record<string, (m: Manifest) => void> = {
  runnable: (m) => {
    expect(m).toMatchObject({ id: 'runnable', engine: { type: 'cli', binary: 'sh' } });
    expect(m.dependencies).toEqual({ binaries: ['sh'], python_packages: [], system_packages: [] });
  },
  disabled: (m) => {
    expect(m).toMatchObject({ id: 'disabled', engine: { type: 'cli', binary: 'sh' } });
    expect(m.dependencies).toEqual({ binaries: ['sh'], python_packages: [], system_packages: [] });
  },
  'missing-binary': (m) => {
    expect(m.engine).toEqual({ type: 'cli', binary: 'secuscan-fixture-absent-tool' });
    expect(m.dependencies).toMatchObject({ python_packages: [], system_packages: [] });
  },
  'missing-python-package': (m) => {
    expect(m.engine?.type).toBe('python');
    const python = ['secuscan-fixture-absent-dist'];
    expect(m.dependencies).toEqual({ binaries: ['python3'], python_packages: python, system_packages: [] });
  },
  'missing-system-package': (m) => {
    expect(binaries(m)).toEqual(['sh', 'sh']);
    expect(m.dependencies).toMatchObject({ python_packages: [], system_packages: ['secuscan-fixture-absent-deb'] });
  },
  'docker-engine': (m) => {
    expect(m.engine?.type).toBe('docker');
    expect(m.dependencies).toEqual({ binaries: ['docker'], python_packages: [], system_packages: [] });
  },
  'slash-in-engine-binary': (m) => {
    expect(m.engine?.binary).toBe('/bin/sh');
    expect(m.dependencies?.binaries).toEqual([]);
  },
  'slash-in-dependency-binary': (m) => {
    expect(m.engine?.binary).toBe('sh');
    expect(m.dependencies?.binaries?.filter((name) => name.includes('/'))).toEqual(['../bin/python3']);
  },
  'missing-id': (m) => {
    expect(m.id).toBeUndefined();
    expect(typeof m.name).toBe('string');
  },
  'missing-name': (m) => {
    expect(m.name).toBeUndefined();
    expect(typeof m.id).toBe('string');
  },
  'unknown-engine': (m) => {
    expect(ENGINE_TYPES).not.toContain(m.engine?.type);
    expect(m.engine?.binary).toBe('sh');
  },
  'cli-without-binary': (m) => {
    expect(m.engine).toEqual({ type: 'cli' });
  },
  'duplicate-id-1': (m) => expect(m.id).toBe('duplicate_id'),
  'duplicate-id-2': (m) => expect(m.id).toBe('duplicate_id'),
};

describe('plugin fixtures', () => {
  let work: string;

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'plugin-fixtures-'));
  });

  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('has exactly the folders its README lists, each described once', async () => {
    const folders = (await readdir(FIXTURE_PLUGINS_DIR, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const readme = await readFile(join(FIXTURE_PLUGINS_DIR, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([a-z0-9-]+)` +\|/gm)].map((match) => match[1]).sort();
    expect(listed).toEqual(folders);
    expect(Object.keys(EXPECTATIONS).concat('invalid-json').sort()).toEqual(folders);
  });

  it.each(Object.entries(EXPECTATIONS))('keeps %s what its name says', async (folder, check) => {
    check(await manifest(folder));
  });

  it('keeps invalid-json unparseable', async () => {
    const text = await manifestText('invalid-json');
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });

  it('names no binary with a slash outside the two fixtures about it', async () => {
    for (const folder of Object.keys(EXPECTATIONS).filter((name) => !name.startsWith('slash-'))) {
      const names = binaries(await manifest(folder)).map(String);
      expect({ folder, slashed: names.filter((name) => name.includes('/')) }).toEqual({ folder, slashed: [] });
    }
  });

  it('copies all fixture folders, or only the ones asked for, without the README', async () => {
    await copyFixturePlugins(join(work, 'all'));
    const all = (await readdir(join(work, 'all'))).sort();
    expect(all).toEqual([...Object.keys(EXPECTATIONS), 'invalid-json'].sort());

    await copyFixturePlugins(join(work, 'some'), ['runnable', 'missing-binary']);
    expect((await readdir(join(work, 'some'))).sort()).toEqual(['missing-binary', 'runnable']);
    await expect(readFile(join(work, 'some', 'runnable', 'metadata.json'), 'utf8')).resolves.toBe(
      await manifestText('runnable'),
    );
  });

  it('writes an oversized manifest that is one byte over the limit and otherwise valid', async () => {
    const file = await writeOversizedManifest(work);
    expect((await stat(file)).size).toBe(MAX_MANIFEST_BYTES + 1);
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    expect(parsed).toMatchObject({ id: 'oversized', engine: { type: 'cli', binary: 'sh' } });
  });

  it('creates every hostile entry as the kind of file it claims to be', async () => {
    const plugins = join(work, 'plugins');
    const outside = join(work, 'outside');
    await createHostileEntries(plugins, outside);
    const entry = (folder: string): string => join(plugins, folder, 'metadata.json');

    expect((await lstat(entry(HOSTILE_FOLDERS.fifo))).isFIFO()).toBe(true);
    expect((await lstat(entry(HOSTILE_FOLDERS.devZero))).isSymbolicLink()).toBe(true);
    expect((await stat(entry(HOSTILE_FOLDERS.devZero))).isCharacterDevice()).toBe(true);
    expect((await lstat(entry(HOSTILE_FOLDERS.symlinkOutside))).isSymbolicLink()).toBe(true);
    expect(await realpath(entry(HOSTILE_FOLDERS.symlinkOutside))).toBe(
      join(await realpath(outside), 'manifest', 'metadata.json'),
    );
    expect((await lstat(join(plugins, HOSTILE_FOLDERS.folderOutside))).isSymbolicLink()).toBe(true);
    expect(await realpath(entry(HOSTILE_FOLDERS.folderOutside))).toBe(
      join(await realpath(outside), 'plugin', 'metadata.json'),
    );
    expect((await lstat(entry(HOSTILE_FOLDERS.directory))).isDirectory()).toBe(true);
    expect((await readdir(plugins)).sort()).toEqual(Object.values(HOSTILE_FOLDERS).sort());
  });
});
