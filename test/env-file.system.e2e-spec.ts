import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probe } from './support/app';
import { RUNNABLE_PLUGINS_DIR } from './support/plugin-fixtures';
import { ChildApp } from './support/child-app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';

const MAIN = join(__dirname, '..', 'dist', 'main.js');
const PLUGINS = RUNNABLE_PLUGINS_DIR;

/** `.env` in the working directory of the built service: read when present, and the environment wins. */
describe('.env', () => {
  let deps: ProxiedDependencies;
  let dir: string;
  let child: ChildApp | undefined;

  beforeAll(async () => {
    deps = await proxyDependencies();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secuscan-env-'));
  });
  afterEach(async () => {
    await child?.stop();
    child = undefined;
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await deps.close();
  });

  it('supplies what the environment does not set; a variable set in the environment, even empty, wins', async () => {
    await writeFile(
      join(dir, '.env'),
      [
        '# comments and quotes as docker compose reads them',
        `DATABASE_URL=${deps.env.DATABASE_URL}`,
        `REDIS_URL="${deps.env.REDIS_URL}"`,
        `PLUGINS_DIR=${PLUGINS}`,
        'LOG_FORMAT=pretty',
        'APP_VERSION=from-the-file',
        'PORT=1',
        'HEALTH_CACHE_TTL_MS=not-a-number',
        '',
      ].join('\n'),
    );
    // PORT comes from the environment too (ChildApp sets it): were the file to win, the start would fail.
    child = await ChildApp.start(
      { APP_VERSION: 'from-the-environment', HEALTH_CACHE_TTL_MS: '' },
      { cwd: dir, bare: true },
    );
    const answer = await child.until('healthy');
    expect(answer.body.version).toBe('from-the-environment');
    // Empty in the environment: still set, so the file's bad value never applies and the default does.
    expect(child.stdout).toMatch(/^\[Nest\] /); // LOG_FORMAT from the file
    expect(child.stdout).toContain(
      'read DATABASE_URL, LOG_FORMAT, PLUGINS_DIR, REDIS_URL from .env variables=["DATABASE_URL","LOG_FORMAT","PLUGINS_DIR","REDIS_URL"]',
    );
    expect(child.stdout).not.toContain('from-the-file');
  });

  it('is optional: without one the defaults apply', async () => {
    child = await ChildApp.start({ ...deps.env, PLUGINS_DIR: PLUGINS }, { cwd: dir });
    const answer = await probe(`http://127.0.0.1:${child.port}/api/v1/health`);
    expect(answer.body.version).toBe('1.0.0');
    expect(child.stdout.split('\n')[0]).toMatch(/^\{"time":/);
  });

  it('stops the start with one line when it cannot be read', async () => {
    await mkdir(join(dir, '.env'));
    const run = spawnSync(process.execPath, [MAIN], {
      cwd: dir,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`secuscan-health: cannot read ${join(dir, '.env')}: EISDIR\n`);
    expect(run.stdout).toBe('');
  });
});
