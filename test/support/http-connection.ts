import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { RawAnswer } from './raw-request';

/**
 * One HTTP/1.1 connection driven by hand, for several requests on one keep-alive socket (where `rawRequest` sends one
 * and reads until the server closes): each answer is read as it completes, and the test sees whether the server
 * closed the socket. Reads answers with a `Content-Length` only (or none, for `HEAD`); a stream's never completes.
 */
export class HttpConnection {
  private buffer = Buffer.alloc(0);
  private wake?: () => void;
  /** Resolves when the socket has closed, whichever side closed it. */
  readonly closed: Promise<void>;
  private isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.wake?.();
        resolve();
      }),
    );
  }

  /** Connects to `port` on loopback. */
  static async open(port: number): Promise<HttpConnection> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new HttpConnection(socket);
  }

  /** Sends `method target` with `headers` (a `Host` is added unless given) and reads the answer. */
  async ask(method: string, target: string, headers: ReadonlyArray<[string, string]> = []): Promise<RawAnswer> {
    const lines = [`${method} ${target} HTTP/1.1`];
    if (!headers.some(([name]) => name.toLowerCase() === 'host')) lines.push('Host: 127.0.0.1');
    for (const [name, value] of headers) lines.push(`${name}: ${value}`);
    this.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    return this.read(method === 'HEAD');
  }

  /** Destroys the socket (for afterEach). */
  destroy(): void {
    this.socket.destroy();
  }

  private async read(head: boolean): Promise<RawAnswer> {
    for (;;) {
      const answer = this.parse(head);
      if (answer) return answer;
      if (this.isClosed) throw new Error(`the server closed the connection after ${this.buffer.length} bytes`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private parse(head: boolean): RawAnswer | undefined {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine, ...fields] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(
      fields.map((field) => {
        const colon = field.indexOf(':');
        return [field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim()];
      }),
    );
    if (headers['transfer-encoding']) throw new Error('HttpConnection reads no chunked answers');
    const length = head ? 0 : Number(headers['content-length'] ?? 0);
    if (this.buffer.length < end + 4 + length) return undefined;
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + length);
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  }
}
