import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildApp } from './support/child-app';
import { copyFixturePlugins } from './support/plugin-fixtures';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { waitFor } from './support/wait';

/**
 * A plugin folder whose name tries to end the log line, colour the terminal, and reorder or hide text: a right-to-left
 * override (U+202E), a first-strong isolate (U+2068), a zero-width space (U+200B) and a byte-order mark (U+FEFF).
 */
const HOSTILE_FOLDER = 'evil\nFORGED {"level":"log"} \u001b[31mred\u001b[0m \u202egnp.exe\u2068\u200b\ufeff';
const ESC = '\u001b';
/** Bidi controls and other invisible format characters (Unicode category Cf): a log line must show none raw. */
const INVISIBLE = /\p{Cf}/u;

/** The built service's log lines, with stdout a pipe as under `docker logs` or a collector. */
describe('log lines of the built service', () => {
  let deps: ProxiedDependencies;
  let plugins: string;
  let child: ChildApp | undefined;

  beforeAll(async () => {
    deps = await proxyDependencies();
    plugins = await mkdtemp(join(tmpdir(), 'secuscan-log-plugins-'));
    // A plugin every machine can run (it needs only sh), so the report's status follows PostgreSQL and Redis alone.
    await copyFixturePlugins(plugins, ['runnable']);
    await mkdir(join(plugins, HOSTILE_FOLDER));
    await writeFile(join(plugins, HOSTILE_FOLDER, 'metadata.json'), '{ not json');
  });
  afterEach(async () => {
    await child?.stop();
    child = undefined;
    await deps.cache.setMode('pass');
  });
  afterAll(async () => {
    await deps.close();
    await rm(plugins, { recursive: true, force: true });
  });

  it('writes one JSON object per line by default, with the fields of a transition and no colour codes', async () => {
    // NO_COLOR empty counts as unset: the pipe alone must keep colours out.
    child = await ChildApp.start({ ...deps.env, PLUGINS_DIR: plugins, HEALTH_CACHE_TTL_MS: '0', NO_COLOR: '' });
    await child.until('healthy');
    await deps.cache.setMode('refuse');
    await child.until('degraded');
    const running = child;
    await waitFor(() => running.stdout.includes('"check":"cache"'), { what: 'the cache transition line' });

    expect(running.logs).not.toContain(ESC);
    expect(running.logs).not.toMatch(INVISIBLE);
    const lines = running.stdout.trimEnd().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        level: expect.stringMatching(/^(log|warn|error|debug|verbose|fatal)$/),
        context: expect.any(String),
        message: expect.any(String),
      });
    }
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        context: 'Health',
        check: 'cache',
        status: 'error',
        from: 'ok',
        to: 'error',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'warn', status: 'degraded', from: 'healthy', to: 'degraded' }),
    );
    // The start-up lines name the paths really served: the status page is outside the /api/v1 prefix.
    const mapping = entries.filter((entry) => entry.context === 'RoutesResolver').map((entry) => entry.message);
    expect(mapping).toContain('StatusPageController {/status}:');
    expect(mapping).toContain('HealthController {/api/v1/health}:');
    expect(lines.filter((line) => line.includes('/api/v1/status'))).toEqual([]);
    // The hostile folder name is in one line, intact once parsed, and forged nothing.
    const skipped = entries.filter((entry) => String(entry.message).includes('FORGED'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0].message).toContain(HOSTILE_FOLDER);
    expect(lines.filter((line) => line.startsWith('FORGED'))).toEqual([]);
  });

  it('LOG_FORMAT=pretty writes Nest lines with the fields, escapes control characters, and no colours on a pipe', async () => {
    child = await ChildApp.start({
      ...deps.env,
      PLUGINS_DIR: plugins,
      HEALTH_CACHE_TTL_MS: '0',
      LOG_FORMAT: 'pretty',
      NO_COLOR: '',
    });
    await child.until('healthy');
    await deps.cache.setMode('refuse');
    await child.until('degraded');
    const running = child;
    await waitFor(() => running.stdout.includes('check=cache'), { what: 'the cache transition line' });

    expect(running.logs).not.toContain(ESC);
    expect(running.logs).not.toMatch(INVISIBLE);
    const lines = running.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^\[Nest\] \d+ {2}- /);
    expect(lines).toContainEqual(
      expect.stringMatching(/WARN \[Health\] check cache failed: .* check=cache status=error from=ok to=error/),
    );
    expect(lines).toContainEqual(
      expect.stringContaining('evil\\nFORGED {"level":"log"} \\x1b[31mred\\x1b[0m \\u202egnp.exe\\u2068\\u200b\\ufeff'),
    );
  });
});
