/**
 * The Dockerfile (and .dockerignore), read statically: its stages and base image, what the build installs and
 * copies, and how the runtime stage runs the app (user, environment, CMD, STOPSIGNAL) and checks it (HEALTHCHECK).
 * The HEALTHCHECK command itself is run against the real app in healthcheck.system.e2e-spec.ts. Needs `npm run build`
 * first (as `npm test` does): the files CMD and HEALTHCHECK start must exist.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseAppConfig } from '../../src/app.composition';
import { HISTORY_STORE_SETTINGS } from '../../src/history-store';
import { DEFAULT_TIMEOUT_MS } from '../../src/cli/healthcheck';
import { service } from '../support/compose-file';
import {
  dockerfile,
  execForm,
  healthcheckInstruction,
  inStage,
  lastStage,
  stageName,
  runtimeWorkdir,
  stages,
} from '../support/dockerfile';
import { durationMs } from '../support/durations';
import { readRepoFile, ROOT } from '../support/repository';

describe('Dockerfile', () => {
  it('is multi-stage on slim Node 24', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) expect(from.args).toMatch(/^node:24(\.[\d.]+)?-bookworm-slim\b/);
  });

  it('installs the scanner packages only when WITH_SCANNERS=true, and compose builds with them by default', () => {
    const args = inStage(lastStage, 'ARG').map((i) => i.args);
    expect(args).toContain('WITH_SCANNERS=false');
    expect(args.some((a) => /^SCANNER_PACKAGES="[a-z0-9.+\s-]+"$/.test(a))).toBe(true);
    const install = inStage(lastStage, 'RUN').find((i) => i.args.includes('$SCANNER_PACKAGES'));
    expect(install?.args).toMatch(/"\$WITH_SCANNERS"/);
    const build = service('api').build;
    // The shipped plugins are mounted in compose: the image must be able to run those Debian packages.
    expect(typeof build === 'object' && build.args).toEqual({ WITH_SCANNERS: '${WITH_SCANNERS:-true}' });
  });

  it('runs no install script of a dependency while building, with the telemetry opt-outs set too', () => {
    const runs = dockerfile.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) expect(run.args).toMatch(/--ignore-scripts\b/);
    for (const stage of stages.keys()) {
      const args = inStage(stage, 'ARG').map((i) => i.args);
      expect(args).toEqual(expect.arrayContaining(['SCARF_ANALYTICS=false', 'DO_NOT_TRACK=1']));
    }
  });

  it('builds with dev dependencies in an earlier stage, and copies dist/ from it', () => {
    const [copy] = inStage(lastStage, 'COPY').filter((i) => i.args.includes('--from='));
    expect(copy).toBeDefined();
    const fromName = /--from=(\S+)/.exec(copy.args)?.[1];
    const buildStage = stages.findIndex((s) => stageName(s) === fromName);
    expect(buildStage).toBeGreaterThanOrEqual(0);
    expect(buildStage).toBeLessThan(lastStage);
    const runs = inStage(buildStage, 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    expect(copy.args).toMatch(/\/dist\s+\.?\/?dist\/?$/);
  });

  it('installs production dependencies only in the runtime stage', () => {
    const runs = inStage(lastStage, 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(false);
  });

  it('copies into the image only files that exist and that .dockerignore lets through', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', 'dist', '.git', '.env']) expect(ignored).toContain(entry);
    const sources = dockerfile
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
      expect([source, ignored.includes(source.split('/')[0])]).toEqual([source, false]);
    }
  });

  it('runs as a non-root user', () => {
    const user = inStage(lastStage, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('keeps a folder for the durable history: HEALTH_DATA_DIR, owned by the user the app runs as, a VOLUME', () => {
    const env = inStage(lastStage, 'ENV')
      .map((i) => i.args)
      .join(' ');
    const dataDir = /\bHEALTH_DATA_DIR=(\S+)/.exec(env)?.[1];
    expect(dataDir).toBe('/app/data');
    expect(inStage(lastStage, 'VOLUME').map((i) => i.args)).toEqual([dataDir]);
    const user = inStage(lastStage, 'USER').at(-1)?.args;
    const runs = inStage(lastStage, 'RUN').map((i) => i.args);
    expect(runs).toContain(`mkdir -p ${dataDir} && chown ${user}:${user} ${dataDir}`);
    // Without the ENV (an image built from an older Dockerfile, a run that unsets it) the default lands there too.
    const fallback = parseAppConfig({ PATH: '' }).get(HISTORY_STORE_SETTINGS).dataDir;
    expect(posix.resolve(runtimeWorkdir(), fallback)).toBe(dataDir);
  });

  it('sets production mode and the port', () => {
    const env = inStage(lastStage, 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(/\bPORT=3000\b/);
  });

  it('HEALTHCHECK runs the script npm run build produced, with node, within its --timeout', () => {
    const { options, cmd } = healthcheckInstruction();
    expect(cmd).toEqual(['node', 'dist/cli/healthcheck.js']);
    expect(existsSync(join(ROOT, 'dist', 'cli', 'healthcheck.js'))).toBe(true);
    expect(durationMs(options.timeout ?? '30s')).toBeGreaterThan(DEFAULT_TIMEOUT_MS);
    expect(options['start-period']).toBeDefined();
  });

  it('starts dist/main.js with node as PID 1 (exec form) and stops it with SIGTERM', () => {
    const cmd = inStage(lastStage, 'CMD').at(-1);
    expect(cmd && execForm(cmd.args)).toEqual(['node', 'dist/main.js']);
    expect(existsSync(join(ROOT, 'dist', 'main.js'))).toBe(true);
    expect(inStage(lastStage, 'ENTRYPOINT')).toEqual([]);
    expect(inStage(lastStage, 'STOPSIGNAL').map((i) => i.args)).toEqual(['SIGTERM']);
  });
});
