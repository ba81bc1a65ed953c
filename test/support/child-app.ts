import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { probe, Probe, untilStatus } from './app';
import { freePort } from './ports';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

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
  private err = '';
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
      this.err += chunk.toString();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts the service on a free port with `env` (and in `cwd`, default this repository) and waits until liveness
   * answers. Both output streams are pipes, as under `docker logs` or a log collector.
   */
  static async start(env: Record<string, string>, { cwd }: { cwd?: string } = {}): Promise<ChildApp> {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, NO_COLOR: '1', ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd,
    });
    const app = new ChildApp(child, port);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `the child service exited (${child.exitCode ?? child.signalCode}) before answering: ${app.output.slice(-500)}`,
        );
      }
      if (
        await app.get('/health/live').then(
          (a) => a.status === 200,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the child service on port ${port} did not answer in 10 s: ${app.output.slice(-500)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return app;
  }

  /** The process id, e.g. to read its memory from /proc. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Everything the process printed so far, both streams interleaved. */
  get logs(): string {
    return this.output;
  }

  /** What the process wrote to stdout so far. */
  get stdout(): string {
    return this.out;
  }

  /** What the process wrote to stderr so far. */
  get stderr(): string {
    return this.err;
  }

  /** GET `path` below `/api/v1`. */
  get(path: string): Promise<Probe> {
    return probe(`http://127.0.0.1:${this.port}/api/v1${path}`);
  }

  /** Polls `/health` until its `status` is `status` and returns that answer. */
  until(status: string, timeoutMs?: number): Promise<Probe> {
    return untilStatus(() => this.get('/health'), status, timeoutMs);
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
