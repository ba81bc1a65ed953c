import { connect, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that counts the queries crossing the wire: every simple-protocol `Query`
 * message and every extended-protocol `Execute`, whoever sends them. It reads the frontend's message framing
 * (a startup packet without a type byte, then type byte + 4-byte length + body) and forwards bytes untouched.
 */
export class PgQueryCounter {
  queries = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<PgQueryCounter> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const counter = new PgQueryCounter(server, address.port);
    server.on('connection', (client) => counter.accept(client, target));
    return counter;
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    let buffer = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerSize = started ? 5 : 4;
        if (buffer.length < headerSize) break;
        const length = started ? buffer.readUInt32BE(1) + 1 : buffer.readUInt32BE(0);
        if (buffer.length < length) break;
        if (started) {
          const type = String.fromCharCode(buffer[0]);
          if (type === 'Q' || type === 'E') this.queries++;
        } else if (buffer.readUInt32BE(4) !== 80877103) {
          started = true; // the startup packet (an SSLRequest, 80877103, is followed by another startup packet)
        }
        buffer = buffer.subarray(length);
      }
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
