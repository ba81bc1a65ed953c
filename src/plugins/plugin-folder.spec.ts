import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenFile, readManifestFile } from './plugin-folder';

const fsError = (code: string) => Object.assign(new Error(`${code}: fake`), { code });
const manifest = { id: 'nmap', name: 'Nmap', engine: { type: 'cli', binary: 'nmap' } };

describe('readManifestFile', () => {
  let root: string;
  let file: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-folder-'));
    file = join(root, 'metadata.json');
    await writeFile(file, JSON.stringify(manifest));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** Fails the first `failures` opens with `code`, then opens for real. */
  function failingOpen(code: string, failures: number) {
    const calls = { count: 0 };
    const openFile: OpenFile = (path, flags) =>
      ++calls.count <= failures ? Promise.reject(fsError(code)) : open(path, flags);
    return { openFile, calls };
  }

  it('opens again after EMFILE and reads the manifest once a descriptor is free', async () => {
    const { openFile, calls } = failingOpen('EMFILE', 2);
    await expect(readManifestFile(file, openFile)).resolves.toEqual({ ok: true, manifest });
    expect(calls.count).toBe(3);
  });

  it('answers a failure that outlasts the tries as transient, never as a verdict on the file', async () => {
    const { openFile, calls } = failingOpen('ENFILE', Infinity);
    await expect(readManifestFile(file, openFile)).resolves.toEqual({
      ok: false,
      reason: 'metadata.json cannot be opened for now: too many open files in the system (ENFILE)',
      transient: true,
    });
    expect(calls.count).toBe(6);
  });

  it('does not try again after a lasting error, and answers it as invalid', async () => {
    const { openFile, calls } = failingOpen('EACCES', Infinity);
    await expect(readManifestFile(file, openFile)).resolves.toEqual({
      ok: false,
      reason: 'metadata.json cannot be opened: permission denied',
    });
    expect(calls.count).toBe(1);
  });

  it('reads a file of the size its descriptor reports in one read, without one more to be told of its end', async () => {
    const reads: jest.SpyInstance[] = [];
    const countingOpen: OpenFile = async (path, flags) => {
      const handle = await open(path, flags);
      reads.push(jest.spyOn(handle, 'read'));
      return handle;
    };
    await expect(readManifestFile(file, countingOpen)).resolves.toEqual({ ok: true, manifest });
    expect(reads.map((spy) => spy.mock.calls.length)).toEqual([1]);
  });

  it('reads a manifest that starts with a UTF-8 byte-order mark', async () => {
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(manifest))]));
    await expect(readManifestFile(file)).resolves.toEqual({ ok: true, manifest });
  });
});
