import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildApp } from './support/child-app';
import { RUNNABLE_PLUGINS_DIR } from './support/plugin-fixtures';
import { waitFor } from './support/wait';

const PLUGINS = 2000;
const OPEN_FILES = 256;
/** Every this many folders, the manifest starts with a UTF-8 byte-order mark, as Windows editors write it. */
const BOM_EVERY = 10;

/**
 * Many more manifests than the process may hold files open: the built service under `ulimit -n 256` over 2,000 valid
 * manifests. Opened all at once, 1,771 of them were listed invalid (`EMFILE`) for good, and the database driver's own
 * files could not be opened either; read a few at a time, every one is valid and nothing runs out of descriptors.
 */
describe(`${PLUGINS} manifests under ulimit -n ${OPEN_FILES} (the built service)`, () => {
  let root: string;
  let service: ChildApp | undefined;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-open-files-'));
    // The fixture that needs only `sh`, so every plugin is runnable on any machine.
    const text = await readFile(join(RUNNABLE_PLUGINS_DIR, 'runnable', 'metadata.json'), 'utf8');
    const manifest = JSON.parse(text) as Record<string, unknown>;
    for (let i = 0; i < PLUGINS; i++) {
      const folder = join(root, `plugin-${String(i).padStart(4, '0')}`);
      await mkdir(folder);
      const json = JSON.stringify({ ...manifest, id: `plugin_${i}`, name: `Plugin ${i}` }, null, 2);
      await writeFile(join(folder, 'metadata.json'), i % BOM_EVERY === 0 ? `\uFEFF${json}` : json);
    }
  });

  afterAll(async () => {
    await service?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('lists every manifest valid (those with a byte-order mark too), and nothing runs out of file descriptors', async () => {
    // At this limit the main listener's connection budget is 16: the event streams' cap must fit in it.
    service = await ChildApp.start({ PLUGINS_DIR: root, HEALTH_EVENTS_MAX: '8' }, { fileLimit: OPEN_FILES });
    const limit = /^Max open files\s+(\d+)/m.exec(await readFile(`/proc/${service.pid}/limits`, 'utf8'))?.[1];
    expect(Number(limit)).toBe(OPEN_FILES);

    // Every folder accounted for, valid or not: the first scan is over.
    const diagnostics = await waitFor(
      async () => {
        const { body } = await service!.get('/health/plugins');
        return body.total + body.invalid >= PLUGINS && body;
      },
      { what: `all ${PLUGINS} plugin folders to be scanned`, timeoutMs: 30_000, intervalMs: 200 },
    );

    expect(diagnostics.invalid_manifests).toEqual([]);
    expect({ total: diagnostics.total, runnable: diagnostics.runnable, invalid: diagnostics.invalid }).toEqual({
      total: PLUGINS,
      runnable: PLUGINS,
      invalid: 0,
    });
    expect(service.logs).not.toMatch(/EMFILE|too many open files/i);
  });
});
