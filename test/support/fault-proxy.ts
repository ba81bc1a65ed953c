import { connect, createServer, type Server, type Socket } from 'node:net';
import { waitFor } from './wait';

/** Behaviour of a {@link FaultProxy}: forward, swallow everything (hung server), or refuse connections (server down). */
export type FaultMode = 'pass' | 'blackhole' | 'refuse' | 'stall';

/** One accepted client connection and its upstream socket (undefined once the upstream has gone). */
interface Link {
  client: Socket;
  upstream?: Socket;
  /** The client sent FIN: it let go of the connection even if a hung server keeps its side open. */
  clientEnded: boolean;
  /** Chunks the server has sent on this connection (`stall` lets the first one, the login answer, through). */
  serverChunks: number;
}

const HOST = '127.0.0.1';
const ignore = (): void => undefined;

/**
 * A TCP proxy placed between the app and a real server (PostgreSQL, Redis) so integration tests can inject the
 * failures that matter for health checks: a hung server (`blackhole`), a down server (`refuse`) and dropped
 * connections (`resetConnections`), with counters to prove the app leaks no connections.
 *
 * Every accepted connection gets an upstream socket, whatever the mode; the mode only decides whether bytes and
 * half-closes are forwarded. So `blackhole` freezes existing and new connections alike, and going back to `pass`
 * resumes them (bytes dropped meanwhile are lost, as on a real network glitch).
 */
export class FaultProxy {
  private accepted = 0;
  private upstreamsOpened = 0;
  private swallowed = 0;
  private readonly upstreamPorts = new Set<number>();
  private currentMode: FaultMode = 'pass';
  private readonly links = new Set<Link>();
  private closing?: Promise<void>;
  private modeChange: Promise<void> = Promise.resolve();
  private latencyMs = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    private readonly server: Server,
    /** The port the proxy listens on (127.0.0.1); kept across `refuse` and back. */
    readonly port: number,
  ) {}

  /** Starts a proxy in `pass` mode on 127.0.0.1:`port` (ephemeral when 0) forwarding to `target`. */
  static async start(target: { host: string; port: number }, port = 0): Promise<FaultProxy> {
    // allowHalfOpen: a client's FIN must not be answered automatically, or a "hung" server would still close.
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    server.on('error', ignore); // listen errors are handled by listen(); nothing else may crash the test process
    await listen(server, port);
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('FaultProxy: no address');
    const proxy = new FaultProxy(target, server, address.port);
    server.on('connection', (client) => proxy.accept(client));
    return proxy;
  }

  /** Client connections accepted since start. */
  get totalConnections(): number {
    return this.accepted;
  }

  /** Upstream sockets opened since start (one per accepted client connection). */
  get upstreamConnections(): number {
    return this.upstreamsOpened;
  }

  /** Chunks either side sent that the mode dropped, e.g. a query that reached the "hung" server. */
  get swallowedChunks(): number {
    return this.swallowed;
  }

  /**
   * Local ports of every upstream socket this proxy opened: the server sees its clients by these ports (e.g. as
   * `client_port` in PostgreSQL's `pg_stat_activity`), so a test can count this proxy's sessions alone while other
   * suites use the same server.
   */
  get upstreamLocalPorts(): number[] {
    return [...this.upstreamPorts];
  }

  /** Current mode. */
  get mode(): FaultMode {
    return this.currentMode;
  }

  /**
   * Client connections currently held open by the client side. A connection the client has closed (FIN sent) is
   * not counted even while a blackhole keeps the proxy's side open, so leak checks blame only the app.
   */
  get openConnections(): number {
    return [...this.links].filter((l) => !l.clientEnded).length;
  }

  /** Upstream sockets currently open. */
  get openUpstreamConnections(): number {
    return [...this.links].filter((l) => l.upstream && !l.upstream.destroyed).length;
  }

  /**
   * Switches mode. `refuse` closes the listener (ECONNREFUSED) and drops all connections; leaving `refuse` listens
   * again on the same port. Calls are serialised so rapid switches cannot interleave listen/close.
   */
  async setMode(mode: FaultMode): Promise<void> {
    const change = this.modeChange.then(() => this.applyMode(mode));
    this.modeChange = change.catch(ignore);
    return change;
  }

  /**
   * Delays every answer of the server (upstream → client data) by `ms` in `pass` mode: a slow server, not a hung
   * one. Order is kept; 0 turns it off.
   */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Destroys every current connection, both sides, as a network reset would; the listener stays as it is. */
  resetConnections(): void {
    for (const link of this.links) this.drop(link);
  }

  /** Stops listening and destroys everything; idempotent, leaves no open handle. */
  async close(): Promise<void> {
    this.closing ??= (async () => {
      await this.modeChange;
      this.resetConnections();
      if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
    })();
    return this.closing;
  }

  private async applyMode(mode: FaultMode): Promise<void> {
    if (this.closing) throw new Error('FaultProxy is closed');
    const previous = this.currentMode;
    this.currentMode = mode;
    if (mode === 'refuse') {
      this.resetConnections();
      if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
      return;
    }
    if (previous === 'refuse') await listen(this.server, this.port);
    if (mode === 'pass') {
      // Connections that lost their upstream behind the blackhole (server closed, client sent FIN) now see it closed.
      for (const link of this.links) if (!link.upstream) this.drop(link);
    }
  }

  private accept(client: Socket): void {
    if (this.closing || this.currentMode === 'refuse') {
      client.destroy();
      return;
    }
    this.accepted++;
    this.upstreamsOpened++;
    const upstream = connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true, noDelay: true });
    const link: Link = { client, upstream, clientEnded: false, serverChunks: 0 };
    this.links.add(link);
    upstream.once('connect', () => upstream.localPort && this.upstreamPorts.add(upstream.localPort));
    // Resets and refused upstreams are expected in fault tests; 'close' does the cleanup.
    client.on('error', ignore);
    upstream.on('error', ignore);
    client.on('end', () => {
      link.clientEnded = true;
      // Hung server: the proxy's side stays open (CLOSE_WAIT) but the upstream is no longer needed.
      if (this.currentMode === 'blackhole' || this.currentMode === 'stall') link.upstream?.destroy();
    });
    client.on('close', () => {
      this.links.delete(link);
      link.upstream?.destroy();
    });
    upstream.on('close', () => {
      link.upstream = undefined;
      // A hung server never closes; the client only learns about it once the blackhole is lifted.
      if (this.currentMode !== 'blackhole' && this.currentMode !== 'stall') client.destroy();
    });
    this.pipe(
      client,
      () => link.upstream,
      () => this.forwards(link),
    );
    this.pipe(
      upstream,
      () => (link.client.destroyed ? undefined : link.client),
      () => this.forwards(link) && ++link.serverChunks > 0,
      () => this.latencyMs,
    );
  }

  /**
   * Whether bytes flow on `link` now: always in `pass`; in `stall` only until the server's first answer (the
   * login), so new connections log in and then every query hangs, like an overloaded server.
   */
  private forwards(link: Link): boolean {
    return this.currentMode === 'pass' || (this.currentMode === 'stall' && link.serverChunks === 0);
  }

  /**
   * Forwards data and FIN from `from` to `to()` only while in `pass` mode, honouring backpressure; with a latency,
   * each chunk is written that much later (timers of equal delay fire in order, so the stream stays ordered).
   */
  private pipe(
    from: Socket,
    to: () => Socket | undefined,
    forwarding: () => boolean,
    latency: () => number = () => 0,
  ): void {
    from.on('data', (chunk: Buffer) => {
      const dest = to();
      if (!dest || dest.destroyed) return;
      if (!forwarding()) {
        this.swallowed++; // blackhole or stall: silently dropped
        return;
      }
      const delay = latency();
      if (delay > 0) {
        // Unref'd: a chunk still in flight when the test ends must not keep the test process alive.
        setTimeout(() => dest.destroyed || dest.write(chunk), delay).unref();
        return;
      }
      if (!dest.write(chunk)) {
        from.pause();
        dest.once('drain', () => from.resume());
      }
    });
    from.on('end', () => {
      const dest = to();
      if (this.currentMode === 'pass' && dest && !dest.destroyed) dest.end();
    });
  }

  private drop(link: Link): void {
    link.client.destroy();
    link.upstream?.destroy();
    this.links.delete(link);
  }
}

/** Listens on 127.0.0.1:`port`, retrying briefly on EADDRINUSE (the port may still be releasing after `refuse`). */
async function listen(server: Server, port: number): Promise<void> {
  await waitFor(
    () =>
      new Promise<boolean>((resolve, reject) => {
        const failed = (err: NodeJS.ErrnoException): void => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err));
        server.once('error', failed);
        server.listen(port, HOST, () => {
          server.off('error', failed);
          resolve(true);
        });
      }),
    { what: `port ${port} to be free for the proxy`, timeoutMs: 2000 },
  );
}
