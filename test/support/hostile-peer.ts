import { connect, createServer, type Server, type Socket } from 'node:net';

/** What a {@link HostilePeer} does with a connection. */
export type PeerAct =
  /** Forwards both ways to the real server. */
  | { readonly kind: 'pass' }
  /**
   * Forwards, but answers a client chunk that `when` matches with `answer(chunk)` itself, without passing it on: a
   * man in the middle who lets the login through and answers the probe's command.
   */
  | { readonly kind: 'intercept'; when(chunk: Buffer): boolean; answer(chunk: Buffer): Buffer }
  /** No server behind it: `serve` answers the connection (a fake server). */
  | { readonly kind: 'fake'; serve(socket: Socket): void };

const ignore = (): void => undefined;

/**
 * A TCP endpoint on loopback in front of a real server (the machine's PostgreSQL or Redis) whose behaviour a test
 * switches between forwarding, tampering with answers and faking the server entirely, to send the service hostile
 * bytes and then let it recover on the real server behind the same address.
 */
export class HostilePeer {
  private current: PeerAct = { kind: 'pass' };
  private readonly sockets = new Set<Socket>();
  private accepted = 0;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
    /** The port it listens on, 127.0.0.1. */
    readonly port: number,
  ) {}

  /** Listens on a free loopback port, forwarding to `target` until told otherwise. */
  static async start(target: { host: string; port: number }): Promise<HostilePeer> {
    const server = createServer({ noDelay: true });
    server.on('error', ignore);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('HostilePeer: no address');
    const peer = new HostilePeer(server, target, address.port);
    server.on('connection', (socket) => peer.accept(socket));
    return peer;
  }

  /** Connections accepted so far. */
  get connections(): number {
    return this.accepted;
  }

  /** Acts so from now on, on new connections; the open ones are dropped, so the client reconnects to meet it. */
  act(act: PeerAct): void {
    this.current = act;
    for (const socket of this.sockets) socket.destroy();
  }

  /** Stops listening and destroys every socket. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', ignore);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private accept(client: Socket): void {
    this.accepted++;
    this.track(client);
    const act = this.current;
    if (act.kind === 'fake') {
      act.serve(client);
      return;
    }
    const upstream = connect({ ...this.target, noDelay: true });
    this.track(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      if (act.kind === 'intercept' && act.when(chunk)) client.write(act.answer(chunk));
      else upstream.write(chunk);
    });
  }
}
