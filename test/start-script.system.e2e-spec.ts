import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { probe } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

const ROOT = join(__dirname, '..');

/** Child process ids of `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** The arguments of `pid`, or undefined once it is gone. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** The node process under `pid` (at any depth) running dist/main.js; not a shell whose command names it. */
function findService(pid: number): number | undefined {
  for (const child of childrenOf(pid)) {
    const [program, script] = commandLine(child) ?? [];
    if (basename(program ?? '') === 'node' && script === 'dist/main.js') return child;
    const deeper = findService(child);
    if (deeper) return deeper;
  }
  return undefined;
}

/**
 * `npm start` as people and process managers run it: a SIGTERM sent to the npm process must reach node, whose
 * graceful shutdown then frees the port and exits 0. npm runs the script with `sh -c`; a shell that does not exec
 * the last command (dash, Debian's sh) would take the signal itself and leave node running.
 */
describe('npm start', () => {
  let deps: ProxiedDependencies;
  let npm: ChildProcess | undefined;
  let service: number | undefined;

  beforeAll(async () => {
    deps = await proxyDependencies();
  });
  afterAll(async () => {
    await deps.close();
  });
  afterEach(() => {
    // Whatever a failed assertion left behind: node too when it never answered (found before npm is killed, as
    // it would then be init's child and out of reach).
    service ??= npm?.pid ? findService(npm.pid) : undefined;
    for (const pid of [service, npm?.pid]) {
      if (pid && commandLine(pid) !== undefined) process.kill(pid, 'SIGKILL');
    }
  });

  it('passes SIGTERM to node, which drains, frees the port and exits 0', async () => {
    const port = await freePort();
    let output = '';
    npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        npm_config_update_notifier: 'false',
        ...deps.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        HEALTH_SHUTDOWN_DELAY_MS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      npm?.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const live = `http://127.0.0.1:${port}/api/v1/health/live`;

    await waitFor(
      () =>
        probe(live).then(
          (answer) => answer.status === 200,
          () => false,
        ),
      {
        what: `npm start answering on port ${port}`,
        timeoutMs: 20_000,
      },
    );
    service = findService(npm.pid ?? -1);
    expect(service).toBeDefined();

    npm.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    // npm exits once its child did: the service process is gone and nothing listens on its port any more.
    expect(commandLine(service ?? -1)).toBeUndefined();
    await expect(probe(live)).rejects.toThrow();
    expect(output).toContain('SIGTERM received');
  });
});
