import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { waitFor } from './wait';

/** One request a {@link Receiver} took. */
export interface Received {
  readonly method: string;
  /** The path and query, as sent. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw body, as the signature covers it. */
  readonly body: string;
  /** `performance.now()` when the body was in. */
  readonly at: number;
}

/** How the receiver answers one request: a status code, or `hang` (never answer; the socket stays open). */
export type Answer = number | 'hang';

/**
 * A webhook receiver on loopback, as a chat service or a notification relay would be: a real `node:http` server
 * that keeps every request it gets, and answers each with what {@link answers} says (200 by default), so tests can
 * fail a delivery, hang one, or take it. `close` destroys open sockets first, so a hanging answer never holds it.
 */
export class Receiver {
  readonly requests: Received[] = [];
  /** The answer for the n-th request (from 0) and its path; 200 unless it says otherwise. */
  answers: (index: number, received: Received) => Answer = () => 200;
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:<port>` */
    readonly base: string,
  ) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('receiver: no address');
    const receiver = new Receiver(server, `http://127.0.0.1:${address.port}`);
    server.on('connection', (socket) => {
      receiver.sockets.add(socket);
      socket.on('close', () => receiver.sockets.delete(socket));
    });
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received: Received = {
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: performance.now(),
        };
        const answer = receiver.answers(receiver.requests.length, received);
        receiver.requests.push(received);
        if (answer === 'hang') {
          receiver.hanging.add(response);
          response.on('close', () => receiver.hanging.delete(response));
          return;
        }
        response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
      });
    });
    return receiver;
  }

  /** The host and port, as a target URL names them. */
  get host(): string {
    return this.base.slice('http://'.length);
  }

  /** Answers still held open (a `hang` whose client has not given up). */
  get hangingAnswers(): number {
    return this.hanging.size;
  }

  /** The requests to paths starting with `prefix`. */
  to(prefix: string): Received[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  /** Waits until `count` requests matched `filter` and answers them. */
  async until(count: number, filter: (r: Received) => boolean, what: string, timeoutMs = 15_000): Promise<Received[]> {
    return waitFor(
      () => {
        const matching = this.requests.filter(filter);
        return matching.length >= count && matching;
      },
      { what: `${count} ${what} at the receiver`, timeoutMs, intervalMs: 20 },
    );
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
