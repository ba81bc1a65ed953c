import { ChildProcess, spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';

const CHILD = join(__dirname, 'socket-flood.child.mts');

/** What one attacker process saw. */
export interface FloodSummary {
  /** Sockets the server accepted (the TCP handshake completed). */
  accepted: number;
  /** Sockets that never connected (refused or reset). */
  failed: number;
  /** Still open when the summary was printed. */
  open: number;
  /**
   * Of those, the ones the server never had: the kernel completed their handshake with a SYN cookie and dropped the
   * ACK on a full accept queue (see `socket-flood.child.mts`), so there is nothing on the server's side to close.
   */
  lost: number;
  /** The longest any accepted socket stayed open before the server closed it (ms). */
  longestMs: number;
}

/**
 * Idle or slowloris sockets against 127.0.0.1:`port` from a child process (see `socket-flood.child.mts`), so their
 * descriptors count against the child's file limit. The child ends itself after 40 s at the latest.
 */
export class SocketFlood {
  /** Resolves once every socket was attempted. */
  readonly opened: Promise<FloodSummary>;
  /** Resolves with the final count when the child is done (all closed, or stopped). */
  readonly done: Promise<FloodSummary>;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    let buffer = '';
    const events = new Map<string, (summary: FloodSummary) => void>();
    this.opened = new Promise((resolve) => events.set('opened', resolve));
    this.done = new Promise((resolve) => events.set('done', resolve));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const { event, ...summary } = JSON.parse(buffer.slice(0, newline)) as FloodSummary & { event: string };
        buffer = buffer.slice(newline + 1);
        events.get(event)?.(summary);
      }
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts `count` sockets of `mode` against `port`. */
  static start(port: number, count: number, mode: 'idle' | 'slowloris'): SocketFlood {
    const child = spawn(process.execPath, [CHILD, String(port), String(count), mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // A real attacker runs elsewhere; here it shares the machine's cores with the service it attacks. The lowest
    // priority keeps its own CPU use (opening and tearing down thousands of sockets) from being counted as the
    // service's slowness.
    if (child.pid !== undefined) setPriority(child.pid, 19);
    return new SocketFlood(child);
  }

  /** Ends the attack: the child closes its sockets and reports. */
  async stop(): Promise<FloodSummary> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const summary = await this.done;
    await this.exited;
    return summary;
  }

  /** Makes sure the child is gone (for afterEach). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
