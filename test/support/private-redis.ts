import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { waitFor } from './wait';

/**
 * Sends a raw RESP `PING` to 127.0.0.1:`port` (or `host`) and resolves true on `+PONG` (or `-NOAUTH`, from a server
 * that wants a password), false on any error or after
 * `timeoutMs`. Raw sockets on purpose: readiness checks must not depend on the Redis client under test.
 */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false)); // no-op if already resolved
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      // A server with `requirepass` answers, too: it is up, and only wants a password.
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}

/**
 * A throwaway redis-server owned by one test suite (never the shared one on 6379), run as a child process (not
 * daemonized) so stop() really kills it and nothing survives the test run. No persistence; data dir is a temp dir.
 */
export class PrivateRedis {
  private child?: ChildProcess;
  private exited: Promise<void> = Promise.resolve();
  private output = '';
  private destroyed = false;

  private constructor(
    /** TCP port on 127.0.0.1, the same across stop/start. */
    readonly port: number,
    /** Temp working dir of the server; removed by `destroy()`. */
    readonly dir: string,
    /** More redis-server options, e.g. `['--databases', '2']`; may be changed before a restart. */
    public extraArgs: readonly string[],
    /** A configuration file in `dir`, read first (a sentinel needs one it can write), or none. */
    private readonly configFile?: string,
  ) {}

  /**
   * Starts a server on a free port, with `extraArgs` for redis-server, and resolves once it answers PING. `config`,
   * when given, is written to a file in its folder that the server reads first and may rewrite (as a sentinel does).
   */
  static async create(extraArgs: readonly string[] = [], { config }: { config?: string } = {}): Promise<PrivateRedis> {
    const dir = mkdtempSync(join(tmpdir(), 'private-redis-'));
    const configFile = config === undefined ? undefined : join(dir, 'redis.conf');
    if (configFile !== undefined) writeFileSync(configFile, config ?? '');
    const redis = new PrivateRedis(await freePort(), dir, extraArgs, configFile);
    try {
      await redis.start();
      return redis;
    } catch (err) {
      await redis.destroy();
      throw err;
    }
  }

  /** Connection URL, e.g. for ioredis. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server again on the same port and waits until it answers PING; no-op if running. */
  async start(): Promise<void> {
    if (this.destroyed) throw new Error('PrivateRedis is destroyed');
    if (this.isRunning()) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...this.extraArgs,
    ];
    const config = this.configFile ? [this.configFile] : [];
    const child = spawn('redis-server', [...config, ...args, '--dir', this.dir, '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.output = '';
    // Keep the tail of the log: it explains a failed start (port taken, bad option).
    const keep = (chunk: Buffer): void => void (this.output = (this.output + chunk.toString()).slice(-2000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (err) => {
        this.output += `\n${err.message}`;
        resolve(); // spawn failure (e.g. ENOENT) emits no 'exit'
      });
    });
    await waitFor(
      async () => {
        if (!this.isRunning()) throw new Error(`redis-server exited during start:\n${this.output}`);
        return pingRedis(this.port);
      },
      { what: `PrivateRedis on port ${this.port} to answer PING` },
    );
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and waits for the process to exit; no-op if stopped. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning()) return;
    child.kill('SIGTERM');
    child.kill('SIGCONT'); // a paused server handles the SIGTERM only once it runs again
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the server at once (SIGKILL: no shutdown, as when its machine dies) and waits for the exit. */
  async kill(): Promise<void> {
    if (!this.child || !this.isRunning()) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Sends SIGSTOP or SIGCONT: a stopped server keeps its sockets open and answers nothing, like a hung one. */
  pause(paused: boolean): void {
    if (this.isRunning()) this.child?.kill(paused ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Stops the server if running and removes the temp dir; idempotent. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    await this.stop();
    this.destroyed = true;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private isRunning(): boolean {
    const child = this.child;
    return !!child && child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  }
}
