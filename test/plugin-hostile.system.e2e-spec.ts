import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildApp } from './support/child-app';
import { copyFixturePlugins, createHostileEntries, writeOversizedManifest } from './support/plugin-fixtures';
import { PluginToolbox } from './support/plugin-env';
import { waitFor } from './support/wait';

/**
 * Files in PLUGINS_DIR that must never be opened or read whole — a FIFO (opening it waits for a writer), a symlink
 * to /dev/zero (reading never ends), symlinks leading outside, a file over 1 MiB, a directory named metadata.json —
 * created while the built service runs and before it starts: start-up and SIGTERM stay fast, each is listed invalid
 * with its reason, and nothing read from them reaches the logs.
 */
describe('hostile files in PLUGINS_DIR (the built service)', () => {
  let root: string;
  let plugins: string;
  let outside: string;
  let tools: PluginToolbox;
  let service: ChildApp | undefined;

  const EXPECTED_INVALID = [
    { folder: 'hostile-dev-zero', reason: 'metadata.json is a symlink leading outside PLUGINS_DIR' },
    { folder: 'hostile-directory', reason: 'metadata.json is a directory, not a file' },
    { folder: 'hostile-fifo', reason: 'metadata.json is a FIFO, not a regular file' },
    { folder: 'hostile-folder-outside', reason: 'the folder is a symlink leading outside PLUGINS_DIR' },
    { folder: 'hostile-symlink-outside', reason: 'metadata.json is a symlink leading outside PLUGINS_DIR' },
    { folder: 'oversized', reason: 'metadata.json is larger than 1 MiB' },
    { folder: 'secret-link', reason: 'metadata.json is a symlink leading outside PLUGINS_DIR' },
  ];
  const SECRET = 'root:$6$TOPSECRETHASH:19000:0:99999:7:::';

  async function makeHostile(): Promise<void> {
    await createHostileEntries(plugins, outside);
    await writeOversizedManifest(plugins);
    // A symlink to a secret that is not JSON: its bytes must not reach a log line or an answer.
    await writeFile(join(outside, 'shadow'), `${SECRET}\n`);
    await mkdir(join(plugins, 'secret-link'));
    await symlink(join(outside, 'shadow'), join(plugins, 'secret-link', 'metadata.json'));
  }

  const invalidOf = async () => (await service!.get('/health/plugins')).body.invalid_manifests as unknown[];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-hostile-'));
    plugins = join(root, 'plugins');
    outside = join(root, 'outside');
    await mkdir(outside);
    await copyFixturePlugins(plugins, ['runnable']);
    tools = await PluginToolbox.create(root);
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await rm(root, { recursive: true, force: true });
  });

  it('present at start: starts fast, lists each as invalid with its reason, never logs their contents, SIGTERM exits fast', async () => {
    await makeHostile();
    const started = performance.now();
    service = await ChildApp.start({ PLUGINS_DIR: plugins, PATH: tools.path, HEALTH_SHUTDOWN_DELAY_MS: '100' });
    expect(performance.now() - started).toBeLessThan(8000);

    expect(await invalidOf()).toEqual(EXPECTED_INVALID);
    const body = (await service.get('/health/plugins')).body;
    expect(body).toMatchObject({ total: 1, runnable: 1, invalid: EXPECTED_INVALID.length });
    expect((await service.get('/health/live')).status).toBe(200);

    const signalled = performance.now();
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalled).toBeLessThan(4000);
    expect(service.logs).toContain('Plugin skipped: hostile-fifo: metadata.json is a FIFO, not a regular file');
    expect(service.logs).not.toContain('TOPSECRET');
    expect(service.logs).not.toContain('outside_1'); // the id inside the outside manifests
    expect(service.logs).not.toContain('outside_2');
  });

  it('created while it runs: picked up within 5 s as invalid, liveness unaffected, SIGTERM still exits fast', async () => {
    service = await ChildApp.start({ PLUGINS_DIR: plugins, PATH: tools.path, HEALTH_SHUTDOWN_DELAY_MS: '100' });
    expect(await invalidOf()).toEqual([]);

    await makeHostile();
    await waitFor(
      async () => (await service!.get('/health')) && (await invalidOf()).length === EXPECTED_INVALID.length,
      {
        what: 'the hostile entries to be listed invalid',
        timeoutMs: 5000,
      },
    );
    expect(await invalidOf()).toEqual(EXPECTED_INVALID);
    const live = await service.get('/health/live');
    expect(live.status).toBe(200);

    const signalled = performance.now();
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalled).toBeLessThan(4000);
    expect(service.logs).not.toContain('TOPSECRET');
  });
});
