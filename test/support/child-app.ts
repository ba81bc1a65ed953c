import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probe, Probe, untilStatus } from './app';
import { freePort } from './ports';
import { RUNNABLE_PLUGINS_DIR } from './plugin-fixtures';
import { waitFor } from './wait';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** Where and how a child service starts. */
export interface ChildOptions {
  /** Its working directory (default: this repository). */
  readonly cwd?: string;
  /** No default beyond PATH, PORT and HOST (the plugins folder included), e.g. to let a `.env` file supply it. */
  readonly bare?: boolean;
  /** Options for node itself, before the script (e.g. `--inspect=127.0.0.1:0` for {@link ChildApp.collectGarbage}). */
  readonly nodeArgs?: readonly string[];
  /**
   * An open-file limit for the process, e.g. to shrink its connection budget: soft and hard (`ulimit -n` in a shell
   * that then execs node), since node raises its soft limit to the hard one as it starts.
   */
  readonly fileLimit?: number;
}

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The built service (`node dist/main.js`, as `npm start` runs it) in a child process of its own, so tests can send
 * it real signals and watch it exit. Needs `npm run build`, which `npm test` runs first.
 */
export class ChildApp {
  private output = '';
  private out = '';
  private errors = '';
  readonly exited: Promise<Exit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.out += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.errors += chunk.toString();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts the service on a free port with `env` (and in `cwd`, default this repository), without waiting for
   * anything. Both output streams are pipes, as under `docker logs` or a log collector.
   */
  static async spawn(
    env: Record<string, string>,
    { cwd, bare, nodeArgs = [], fileLimit }: ChildOptions = {},
  ): Promise<ChildApp> {
    const port = await freePort();
    // A history file of its own, removed when it exits, unless the test names one (or the working directory does).
    const dataDir =
      bare || env.HEALTH_DATA_DIR !== undefined ? undefined : mkdtempSync(join(tmpdir(), 'secuscan-child-data-'));
    const argv = [process.execPath, ...nodeArgs, MAIN];
    // `exec` replaces the shell, so the pid, the signals and the exit code are node's own.
    const [command, ...args] =
      fileLimit === undefined ? argv : ['/bin/sh', '-c', `ulimit -n ${fileLimit} && exec "$@"`, 'sh', ...argv];
    const child = spawn(command, args, {
      env: {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        ...(bare ? {} : { PLUGINS_DIR: RUNNABLE_PLUGINS_DIR }),
        ...(dataDir ? { HEALTH_DATA_DIR: dataDir } : {}),
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd,
    });
    if (dataDir) child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
    return new ChildApp(child, port);
  }

  /** Starts the service like {@link spawn} and waits until liveness answers. */
  static async start(env: Record<string, string>, options: ChildOptions = {}): Promise<ChildApp> {
    const app = await ChildApp.spawn(env, options);
    const { child, port } = app;
    try {
      await waitFor(
        () => {
          if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`the child service exited (${child.exitCode ?? child.signalCode}) before answering`);
          }
          return app.get('/health/live').then(
            (a) => a.status === 200,
            () => false,
          );
        },
        { what: `the child service to answer on port ${port}`, timeoutMs: 10_000 },
      );
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}: ${app.output.slice(-500)}`, { cause: error });
    }
    return app;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The process id, e.g. to read its memory from /proc. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Everything the process printed so far. */
  get logs(): string {
    return this.output;
  }

  /** What the process wrote to stdout so far. */
  get stdout(): string {
    return this.out;
  }

  /** What the process printed on stderr so far. */
  get stderr(): string {
    return this.errors;
  }

  /** Resolves once the process has printed `text` (on either stream); rejects if it exits first. */
  printed(text: string, timeoutMs = 10_000): Promise<true> {
    return waitFor(
      () => {
        if (this.output.includes(text)) return true;
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          throw new Error(`the child service exited before printing "${text}": ${this.output.slice(-500)}`);
        }
        return false;
      },
      { what: `the child service to print "${text}"`, timeoutMs, intervalMs: 10 },
    );
  }

  /** GET `path` below `/api/v1`. */
  get(path: string): Promise<Probe> {
    return probe(`http://127.0.0.1:${this.port}/api/v1${path}`);
  }

  /** Polls `/health` until its `status` is `status` and returns that answer. */
  until(status: string, timeoutMs?: number): Promise<Probe> {
    return untilStatus(() => this.get('/health'), status, timeoutMs);
  }

  /**
   * Runs a full garbage collection in the process, through the inspector it was started with
   * (`nodeArgs: ['--inspect=127.0.0.1:0']`), so a memory reading afterwards holds what is live, not what the
   * collector has yet to reclaim (which varies with how busy the machine is).
   */
  async collectGarbage(): Promise<void> {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(this.errors)?.[1];
    if (!url) throw new Error('the child service was not started with --inspect');
    const socket = new WebSocket(url);
    try {
      await new Promise((resolve, reject) => {
        socket.addEventListener('open', resolve, { once: true });
        socket.addEventListener('error', reject, { once: true });
      });
      const answer = new Promise<string>((resolve) =>
        socket.addEventListener('message', (event) => resolve(String(event.data)), { once: true }),
      );
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
      const reply = JSON.parse(await answer) as { id?: number; error?: unknown };
      if (reply.id !== 1 || reply.error) throw new Error(`the inspector refused to collect: ${JSON.stringify(reply)}`);
    } finally {
      socket.close();
    }
  }

  /** Sends `signal` to the process. */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Makes sure the process is gone (for afterEach), whatever state a test left it in. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
