import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { promtoolCheckMetrics } from './support/promtool';

const run = promisify(execFile);
const BIN = join(__dirname, '..', 'node_modules', '.bin');
const ROOT = join(__dirname, '..');
/** No telemetry, no update check, no colours: CI has no route to their servers and reads plain JSON. */
const QUIET_ENV = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };

/** One finding of `spectral lint --format json`: the rule and the file it concerns. */
interface SpectralResult {
  code: string;
  source: string;
}

const TOKEN = 'test-token-0123456789abcdef';
const BEARER = { authorization: `Bearer ${TOKEN}` };

/**
 * The OpenAPI documents and the metrics the running app serves, as the ecosystem's own linters judge them: the full
 * document (a caller who may see details) and the public one (a caller who may not), from one app that shows details
 * with its token.
 */
describe('OpenAPI document and metrics under the ecosystem linters', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;
  let dir: string;
  let documentPath: string;
  let publicPath: string;
  let brokenPath: string;
  let spectral: SpectralResult[];

  beforeAll(async () => {
    deps = await proxyDependencies();
    // A notification target (never sent to: the state holds), so promtool sees the notification counter too. And a
    // replicas check, so the document and the metrics have a check that lists items (typed, nullable fields and the
    // item series): its one "replica" is the primary itself, an error (not a standby), so the state is degraded.
    service = await startApp({
      ...deps.env,
      DATABASE_REPLICA_URLS: deps.env.DATABASE_URL,
      HEALTH_CACHE_TTL_MS: '0',
      APP_VERSION: '7.8.9',
      HEALTH_DETAILS: 'when-authorized',
      HEALTH_TOKEN: TOKEN,
      HEALTH_NOTIFY_URLS: 'http://127.0.0.1:9/hook',
    });
    await service.until('degraded');
    dir = await mkdtemp(join(tmpdir(), 'secuscan-lint-'));
    documentPath = join(dir, 'openapi.json');
    await writeFile(documentPath, await (await fetch(`${service.url}/api/docs-json`, { headers: BEARER })).text());
    publicPath = join(dir, 'public.json');
    await writeFile(publicPath, await (await fetch(`${service.url}/api/docs-json`)).text());
    // The same document without servers, which both linters must reject.
    brokenPath = join(dir, 'broken.json');
    const document = JSON.parse(await readFile(documentPath, 'utf8')) as { servers?: unknown[] };
    await writeFile(brokenPath, JSON.stringify({ ...document, servers: [] }));
    // spectral judges both documents in one run (it names each result's source): one start of a heavy CLI, not two.
    const { stdout } = await run(
      join(BIN, 'spectral'),
      [
        'lint',
        ...['--ruleset', join(ROOT, '.spectral.yaml'), '--format', 'json', '--quiet'],
        ...[documentPath, publicPath, brokenPath],
      ],
      { env: QUIET_ENV, timeout: 30_000 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    spectral = JSON.parse(stdout) as SpectralResult[];
  });
  afterAll(async () => {
    await service?.close();
    await deps?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves the two documents asked for: the full one with the version, the public one without', async () => {
    expect(JSON.parse(await readFile(documentPath, 'utf8'))).toMatchObject({ info: { version: '7.8.9' } });
    expect(await readFile(publicPath, 'utf8')).not.toContain('7.8.9');
  });

  it('redocly lint (recommended, redocly.yaml) finds no error and no warning in either document', async () => {
    // One run per document: given two, redocly writes two JSON reports one after the other.
    for (const path of [documentPath, publicPath]) {
      // redocly exits 1 on errors only, so the verdict is read from its JSON report, not its exit code.
      const { stdout } = await run(
        join(BIN, 'redocly'),
        ['lint', '--config', join(ROOT, 'redocly.yaml'), '--format', 'json', path],
        { env: QUIET_ENV, timeout: 30_000 },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      expect([path, JSON.parse(stdout)]).toMatchObject([path, { totals: { errors: 0, warnings: 0 }, problems: [] }]);
    }
  });

  it('spectral lint (spectral:oas, .spectral.yaml) finds nothing in either document, down to hints', () => {
    // Every severity, hints included, is in the JSON report: none may concern a served document.
    expect(spectral.filter((result) => result.source === documentPath || result.source === publicPath)).toEqual([]);
  });

  it('both linters are real judges: they reject a document without servers', async () => {
    const redocly = await run(
      join(BIN, 'redocly'),
      ['lint', '--config', join(ROOT, 'redocly.yaml'), '--format', 'json', brokenPath],
      {
        env: QUIET_ENV,
        timeout: 30_000,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const rules = (problems: Array<{ ruleId?: string; code?: string }>) => problems.map((p) => p.ruleId ?? p.code);
    expect(rules((JSON.parse(redocly.stdout) as { problems: Array<{ ruleId: string }> }).problems)).toContain(
      'no-empty-servers',
    );
    expect(rules(spectral.filter((result) => result.source === brokenPath))).toContain('oas3-api-servers');
  });

  it('promtool check metrics is clean, and the version is one build_info series', async () => {
    const metrics = await (await fetch(`${service.url}/api/v1/metrics`, { headers: BEARER })).text();
    expect(await promtoolCheckMetrics(metrics)).toEqual({ code: 0, output: '' });
    expect(metrics).toContain('secuscan_health_build_info{version="7.8.9"} 1');
    expect(metrics.match(/7\.8\.9/g)).toHaveLength(1);
    expect(metrics).toMatch(/^secuscan_health_check_item_up\{check="replicas",item="127\.0\.0\.1:\d+"\} 0$/m);
    expect(metrics).toMatch(/^secuscan_health_check_item_value\{check="replicas",item="[^"]+",field="streaming"\} 0$/m);
  });

  it('promtool is a real judge: it rejects a gauge named like a counter', async () => {
    const bad = '# HELP x_total x\n# TYPE x_total gauge\nx_total 1\n';
    const verdict = await promtoolCheckMetrics(bad);
    expect(verdict.code).not.toBe(0);
    expect(verdict.output).toContain('non-counter metrics should not have "_total" suffix');
  });
});
