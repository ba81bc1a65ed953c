import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEnvFile, EnvFileError } from './env-file';

const FILE = ['# a comment', 'A=from-file', 'B="quoted value"', 'EMPTY_IN_ENV=from-file', 'export C=exported', ''].join(
  '\n',
);

describe('applyEnvFile', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secuscan-env-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds what the environment lacks and keeps what it has, even an empty value', async () => {
    await writeFile(join(dir, '.env'), FILE);
    const env: NodeJS.ProcessEnv = { A: 'from-env', EMPTY_IN_ENV: '' };
    expect(applyEnvFile(join(dir, '.env'), env).sort()).toEqual(['B', 'C']);
    expect(env).toEqual({ A: 'from-env', B: 'quoted value', C: 'exported', EMPTY_IN_ENV: '' });
  });

  it("has the precedence of Node's own process.loadEnvFile", async () => {
    await writeFile(join(dir, '.env'), FILE);
    const script =
      'process.loadEnvFile(".env"); const { A, B, C, EMPTY_IN_ENV } = process.env; ' +
      'console.log(JSON.stringify({ A, B, C, EMPTY_IN_ENV }))';
    const fromNode = JSON.parse(
      execFileSync(process.execPath, ['-e', script], {
        cwd: dir,
        env: { A: 'from-env', EMPTY_IN_ENV: '' },
        encoding: 'utf8',
        timeout: 10_000,
      }),
    ) as Record<string, string>;
    const env: NodeJS.ProcessEnv = { A: 'from-env', EMPTY_IN_ENV: '' };
    applyEnvFile(join(dir, '.env'), env);
    expect(env).toEqual(fromNode);
  });

  it('adds nothing when there is no file', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(applyEnvFile(join(dir, '.env'), env)).toEqual([]);
    expect(env).toEqual({});
  });

  it('names the file and the reason when it cannot be read', async () => {
    await mkdir(join(dir, '.env'));
    expect(() => applyEnvFile(join(dir, '.env'), {})).toThrow(new EnvFileError(`cannot read ${dir}/.env: EISDIR`));
  });
});
