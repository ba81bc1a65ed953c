import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestCache } from './manifest-cache';
import {
  FILES_AT_ONCE,
  type ManifestReadResult,
  type OpenFile,
  readManifestFile,
  type ScannedFolder,
} from './plugin-folder';

const manifestOf = (id: string) => ({ id, name: id, engine: { type: 'cli' as const, binary: 'sh' } });
const valid = (id: string): ManifestReadResult => ({ ok: true, manifest: manifestOf(id) });
const entry = (folder: string, signature = 'v1'): ScannedFolder => ({
  folder,
  kind: 'manifest',
  path: `/plugins/${folder}/metadata.json`,
  signature,
});

describe('ManifestCache', () => {
  it('holds at most FILES_AT_ONCE manifest files open at a time, however many folders there are', async () => {
    const root = await mkdtemp(join(tmpdir(), 'manifest-cache-'));
    try {
      const count = 200;
      const scanned: ScannedFolder[] = [];
      for (let i = 0; i < count; i++) {
        await mkdir(join(root, `p${i}`));
        const path = join(root, `p${i}`, 'metadata.json');
        await writeFile(path, JSON.stringify(manifestOf(`p${i}`)));
        scanned.push({ folder: `p${i}`, kind: 'manifest', path, signature: 'v1' });
      }
      // The real open, counting the descriptors it hands out until each is closed.
      let openNow = 0;
      let mostOpen = 0;
      const countingOpen: OpenFile = async (path, flags) => {
        const handle = await open(path, flags);
        mostOpen = Math.max(mostOpen, ++openNow);
        const close = handle.close.bind(handle);
        handle.close = () => (openNow--, close());
        return handle;
      };
      const cache = new ManifestCache((path) => readManifestFile(path, countingOpen));

      const { results, transient } = await cache.pass(scanned);

      expect(results.map(([folder, result]) => [folder, result.ok])).toEqual(scanned.map((e) => [e.folder, true]));
      expect(transient).toBe(0);
      expect(openNow).toBe(0);
      expect(mostOpen).toBeGreaterThan(1);
      expect(mostOpen).toBeLessThanOrEqual(FILES_AT_ONCE);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('reads a file again only when its signature changed, and forgets folders that are gone', async () => {
    const read = jest.fn((path: string) => Promise.resolve(valid(path.split('/')[2])));
    const cache = new ManifestCache(read);
    await cache.pass([entry('a'), entry('b')]);
    expect(read).toHaveBeenCalledTimes(2);

    await cache.pass([entry('a'), entry('b', 'v2')]);
    expect(read.mock.calls.slice(2)).toEqual([['/plugins/b/metadata.json']]);

    await cache.pass([entry('b', 'v2')]);
    await cache.pass([entry('a'), entry('b', 'v2')]);
    expect(read.mock.calls.slice(3)).toEqual([['/plugins/a/metadata.json']]);
  });

  it('passes a transient failure on, counts it, and reads the same unchanged file again next time', async () => {
    const notNow: ManifestReadResult = { ok: false, reason: 'metadata.json cannot be opened for now', transient: true };
    const read = jest
      .fn<Promise<ManifestReadResult>, [string]>()
      .mockResolvedValueOnce(notNow)
      .mockResolvedValue(valid('a'));
    const cache = new ManifestCache(read);

    const first = await cache.pass([entry('a')]);
    expect(first).toEqual({ results: [['a', notNow]], transient: 1 });

    const second = await cache.pass([entry('a')]);
    expect(second).toEqual({ results: [['a', valid('a')]], transient: 0 });
    await cache.pass([entry('a')]);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('keeps a lasting failure like a manifest: not read again while the file is unchanged', async () => {
    const broken: ManifestReadResult = { ok: false, reason: 'metadata.json is not valid JSON' };
    const read = jest.fn<Promise<ManifestReadResult>, [string]>().mockResolvedValue(broken);
    const cache = new ManifestCache(read);
    await cache.pass([entry('a')]);
    await expect(cache.pass([entry('a')])).resolves.toEqual({ results: [['a', broken]], transient: 0 });
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('passes a folder the scan found unusable on with its reason, without reading anything', async () => {
    const read = jest.fn<Promise<ManifestReadResult>, [string]>();
    const cache = new ManifestCache(read);
    const outside: ScannedFolder = { folder: 'x', kind: 'invalid', reason: 'the folder is a symlink' };
    await expect(cache.pass([outside])).resolves.toEqual({
      results: [['x', { ok: false, reason: 'the folder is a symlink' }]],
      transient: 0,
    });
    expect(read).not.toHaveBeenCalled();
  });
});
