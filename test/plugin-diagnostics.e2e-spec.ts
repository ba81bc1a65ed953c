import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../src/config/app-config';
import { PLUGINS_SETTINGS } from '../src/plugins/plugins.settings';
import { RunningApp, startApp } from './support/app';
import { cli } from './support/cli';
import { copyFixturePlugins } from './support/plugin-fixtures';
import { PluginToolbox } from './support/plugin-env';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

type Entry = { id: string; state: string; missing: Array<{ kind: string; name: string }> };

/** The plugin diagnostics of the real app over real manifests, a real PATH folder, a real venv and dpkg-query. */
describe('plugin diagnostics', () => {
  let root: string;
  let plugins: string;
  let tools: PluginToolbox;
  let service: RunningApp;

  const diagnostics = async () => (await service.get('/health/plugins')).body;
  const stateOf = async (id: string) => ((await diagnostics()).plugins as Entry[]).find((p) => p.id === id)?.state;
  const untilState = (id: string, state: string | undefined, timeoutMs = 5000) =>
    waitFor(async () => (await service.get('/health')) && (await stateOf(id)) === state, {
      what: `plugin ${id} to be ${state ?? 'gone'}`,
      timeoutMs,
    });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-diagnostics-'));
    plugins = join(root, 'plugins');
    await copyFixturePlugins(plugins);
    tools = await PluginToolbox.create(root, { dpkgQuery: true });
    service = await startApp({
      PATH: tools.path,
      PLUGINS_DIR: plugins,
      DISABLED_PLUGINS: 'disabled',
      HEALTH_CACHE_TTL_MS: '0',
      HEALTH_PLUGIN_DEPS_TTL_MS: '1000',
    });
    await service.get('/health');
  });

  afterAll(async () => {
    await service.close();
    await rm(root, { recursive: true, force: true });
  });

  it('lists every fixture in its state, every invalid manifest with its reason, and the counts in the report', async () => {
    const body = await diagnostics();
    const states = Object.fromEntries((body.plugins as Entry[]).map((p) => [p.id, p.state]));
    expect(states).toEqual({
      disabled: 'disabled',
      docker_engine: 'blocked',
      duplicate_id: 'runnable',
      missing_binary: 'blocked',
      missing_python_package: 'blocked',
      missing_system_package: 'blocked',
      runnable: 'runnable',
    });
    expect(body.invalid_manifests).toEqual([
      {
        folder: 'cli-without-binary',
        reason: 'metadata.json: a "cli" engine needs "engine.binary" (the executable to run)',
      },
      { folder: 'duplicate-id-2', reason: 'duplicate id (already declared in folder duplicate-id-1)' },
      { folder: 'invalid-json', reason: 'metadata.json is not valid JSON' },
      { folder: 'missing-id', reason: 'metadata.json: "id" must be a non-empty string (got nothing)' },
      { folder: 'missing-name', reason: 'metadata.json: "name" must be a non-empty string (got nothing)' },
      {
        folder: 'slash-in-dependency-binary',
        reason: 'metadata.json: "dependencies.binaries" must be a program name looked up on PATH, not a path',
      },
      {
        folder: 'slash-in-engine-binary',
        reason: 'metadata.json: "engine.binary" must be a program name looked up on PATH, not a path',
      },
      {
        folder: 'unknown-engine',
        reason: 'metadata.json: "engine.type" must be one of cli, python, docker (got another string)',
      },
    ]);
    expect(body).toMatchObject({ total: 7, runnable: 2, blocked: 4, disabled: 1, invalid: 8, error: null });
    expect(body.missing).toEqual(
      expect.arrayContaining([
        {
          kind: 'binary',
          name: 'secuscan-fixture-absent-tool',
          plugins: ['missing_binary'],
          install: { docs: 'install "secuscan-fixture-absent-tool" and make sure it is on PATH' },
        },
        expect.objectContaining({
          kind: 'binary',
          name: 'docker',
          install: expect.objectContaining({ docs: expect.any(String) }),
        }),
        expect.objectContaining({ kind: 'python_package', name: 'secuscan-fixture-absent-dist' }),
        expect.objectContaining({ kind: 'system_package', name: 'secuscan-fixture-absent-deb' }),
      ]),
    );
    expect(Date.parse(body.checked_at)).toBeGreaterThan(Date.now() - 60_000);

    const report = (await service.get('/health')).body;
    expect(report.checks.plugins).toEqual({
      status: 'ok',
      total: 7,
      runnable: 2,
      blocked: 4,
      disabled: 1,
      invalid: 8,
      latency_ms: expect.any(Number),
      detail: null,
    });
  });

  it('GET /health/plugins/:id answers one plugin with install lines, and 404 JSON for an unknown id', async () => {
    const one = await service.get('/health/plugins/missing_binary');
    expect(one.status).toBe(200);
    expect(one.headers.get('cache-control')).toBe('no-store');
    expect(one.body).toMatchObject({
      id: 'missing_binary',
      state: 'blocked',
      missing: [{ kind: 'binary', name: 'secuscan-fixture-absent-tool', install: { docs: expect.any(String) } }],
    });
    const unknown = await service.get('/health/plugins/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'no plugin with id "nope"' });
  });

  it('a binary created on PATH while the service runs unblocks its plugin at the next evaluation; removed, blocks it', async () => {
    await tools.installBinary('secuscan-fixture-absent-tool');
    await service.get('/health'); // one evaluation (HEALTH_CACHE_TTL_MS=0)
    expect(await stateOf('missing_binary')).toBe('runnable');
    await tools.removeBinary('secuscan-fixture-absent-tool');
    await service.get('/health');
    expect(await stateOf('missing_binary')).toBe('blocked');
  });

  it('a distribution installed into the python3 on PATH unblocks its plugin within the package TTL', async () => {
    await tools.installDistribution('secuscan-fixture-absent-dist');
    await untilState('missing_python_package', 'runnable');
    await tools.removeDistribution('secuscan-fixture-absent-dist');
    await untilState('missing_python_package', 'blocked');
  });

  it('a manifest added at run time shows within 5 s, and goes within 5 s once deleted', async () => {
    const folder = join(plugins, 'late-arrival');
    await cp(join(plugins, 'runnable'), folder, { recursive: true });
    await writeFile(
      join(folder, 'metadata.json'),
      JSON.stringify({ id: 'late_arrival', name: 'Late', version: '1.0.0', engine: { type: 'cli', binary: 'sh' } }),
    );
    await untilState('late_arrival', 'runnable');
    await rm(folder, { recursive: true });
    await untilState('late_arrival', undefined);
  });

  it('secuscan-health plugins: a table with a to-fix list, exit 1 while plugins are blocked; --json; --state', async () => {
    const url = `${service.url}/api/v1/health/plugins`;
    const run = await cli(['plugins', '--url', url]);
    expect(run).toMatchObject({ code: 1, stderr: '' });
    expect(run.stdout).toMatch(
      /^plugins: 7 total, 2 runnable, 4 blocked, 1 disabled, 8 invalid {2}checked: \d{4}-\d\d-\d\dT[\d:.]+Z {2}url: /,
    );
    expect(run.stdout).toMatch(/^missing_binary +blocked +.+ secuscan-fixture-absent-tool$/m);
    expect(run.stdout).toContain('To fix:\n');
    expect(run.stdout).toContain('\n  secuscan-fixture-absent-tool: blocks 1 plugin (missing_binary)\n');
    expect(run.stdout).toContain('  invalid-json: metadata.json is not valid JSON\n');

    const json = await cli(['plugins', '--url', url, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ total: 7, runnable: 2 });

    const runnable = await cli(['plugins', '--state', 'runnable'], { PORT: new URL(service.url).port });
    expect(runnable.code).toBe(1);
    expect(runnable.stdout).toMatch(/^runnable +runnable /m);
    expect(runnable.stdout).not.toMatch(/^missing_binary /m);
  });

  it('secuscan-health plugins: exit 2 when the service is unreachable', async () => {
    const url = `http://127.0.0.1:${await freePort()}/api/v1/health/plugins`;
    expect(await cli(['plugins', '--url', url])).toMatchObject({ code: 2, stdout: '' });
  });
});

describe('plugins check failing', () => {
  let root: string;
  let tools: PluginToolbox;
  let service: RunningApp | undefined;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-check-'));
    tools = await PluginToolbox.create(root);
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function start(folders: string[] | undefined, env: Record<string, string> = {}): Promise<RunningApp> {
    const plugins = await mkdtemp(join(root, 'plugins-'));
    if (folders) await copyFixturePlugins(plugins, folders);
    service = await startApp({ PATH: tools.path, PLUGINS_DIR: plugins, HEALTH_CACHE_TTL_MS: '0', ...env });
    return service;
  }

  it('no enabled plugin runnable: degraded, the detail names what is missing, counts kept; the CLI exits 1', async () => {
    const app = await start(['missing-binary', 'docker-engine', 'disabled'], { DISABLED_PLUGINS: 'disabled' });
    const report = await app.until('degraded');
    expect(report.status).toBe(200);
    expect(report.body.checks.plugins).toEqual({
      status: 'error',
      total: 3,
      runnable: 0,
      blocked: 2,
      disabled: 1,
      invalid: 0,
      latency_ms: expect.any(Number),
      detail: '0 of 3 plugins runnable; missing docker (1 plugin), secuscan-fixture-absent-tool (1)',
    });
    const run = await cli(['plugins', '--url', `${app.url}/api/v1/health/plugins`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error: 0 of 3 plugins runnable');
  });

  it('manifests present but none valid: degraded', async () => {
    const app = await start(['invalid-json', 'missing-id']);
    const report = await app.until('degraded');
    expect(report.body.checks.plugins.detail).toBe(
      'none of the 2 plugin manifests is valid (first: invalid-json: metadata.json is not valid JSON)',
    );
  });

  it('PLUGINS_DIR missing: degraded, all five counts present as 0; the CLI exits 2', async () => {
    const app = await start(undefined, { PLUGINS_DIR: join(root, 'nowhere') });
    const report = await app.until('degraded');
    expect(report.body.checks.plugins).toEqual({
      status: 'error',
      total: 0,
      runnable: 0,
      blocked: 0,
      disabled: 0,
      invalid: 0,
      latency_ms: expect.any(Number),
      detail: expect.stringMatching(/^cannot read plugins directory .*nowhere: does not exist$/),
    });
    const run = await cli(['plugins', '--url', `${app.url}/api/v1/health/plugins`]);
    expect(run.code).toBe(2);
  });

  it('PLUGINS_DIR not a folder: all five counts present as 0, in the report and the diagnostics', async () => {
    const file = join(root, 'not-a-folder');
    await writeFile(file, 'plugins live in a folder');
    const app = await start(undefined, { PLUGINS_DIR: file });
    const report = await app.until('degraded');
    const zeroes = { total: 0, runnable: 0, blocked: 0, disabled: 0, invalid: 0 };
    expect(report.body.checks.plugins).toMatchObject({ status: 'error', ...zeroes });
    expect(report.body.checks.plugins.detail).toMatch(/not-a-folder: is not a directory$/);
    expect((await app.get('/health/plugins')).body).toMatchObject({ ...zeroes, plugins: [] });
  });

  it('PLUGINS_DIR deleted while running: degraded within 5 s, no crash; recreated: healthy again within 5 s', async () => {
    const app = await start(['runnable']);
    await app.until('healthy');
    const dir = app.app.get(AppConfig).get(PLUGINS_SETTINGS).dir;
    await rm(dir, { recursive: true });
    const down = await app.until('degraded', 5000);
    expect(down.body.checks.plugins.detail).toMatch(/does not exist$/);
    await copyFixturePlugins(dir, ['runnable']);
    await app.until('healthy', 5000);
  });

  it('every enabled plugin runnable: healthy, CLI exit 0; no dpkg-query: system packages unverified, not blocking', async () => {
    const app = await start(['runnable', 'missing-system-package']);
    await app.until('healthy');
    const one = await app.get('/health/plugins/missing_system_package');
    expect(one.body).toMatchObject({
      state: 'runnable',
      missing: [],
      unverified: [{ kind: 'system_package', name: 'secuscan-fixture-absent-deb' }],
    });
    const run = await cli(['plugins', '--url', `${app.url}/api/v1/health/plugins`]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('plugin diagnostics freshness', () => {
  let root: string;
  let tools: PluginToolbox;
  let service: RunningApp;
  const ttlMs = 1000;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-fresh-'));
    tools = await PluginToolbox.create(root);
    const plugins = join(root, 'plugins');
    await mkdir(join(plugins, 'ffuf'), { recursive: true });
    await writeFile(
      join(plugins, 'ffuf', 'metadata.json'),
      JSON.stringify({ id: 'ffuf', name: 'Web Fuzzer', version: '1.0.0', engine: { type: 'cli', binary: 'ffuf' } }),
    );
    service = await startApp({ PATH: tools.path, PLUGINS_DIR: plugins, HEALTH_CACHE_TTL_MS: String(ttlMs) });
  });

  afterAll(async () => {
    await service.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a binary placed on PATH shows runnable through /health/plugins within the TTL, with no call to /health', async () => {
    const blocked = (await service.get('/health/plugins')).body;
    expect(blocked.plugins).toMatchObject([{ id: 'ffuf', state: 'blocked' }]);
    await tools.installBinary('ffuf');

    const answer = await waitFor(
      async () => {
        const body = (await service.get('/health/plugins')).body;
        return body.runnable === 1 && body;
      },
      // The TTL, plus the time one request takes on a busy machine.
      { what: 'ffuf to be runnable through /health/plugins alone', timeoutMs: ttlMs + 500, intervalMs: 100 },
    );
    expect(answer.plugins).toMatchObject([{ id: 'ffuf', state: 'runnable', missing: [] }]);
    // From a check newer than the one that said blocked. (Not "after the install finished": a check that started
    // while the file was being written may see it, and says when it started.)
    expect(Date.parse(answer.checked_at)).toBeGreaterThan(Date.parse(blocked.checked_at));
    const one = (await service.get('/health/plugins/ffuf')).body;
    expect(one).toMatchObject({ id: 'ffuf', state: 'runnable' });
  });
});
