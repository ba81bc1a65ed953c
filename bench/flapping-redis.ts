import { createServer, Server, Socket } from 'node:net';

/**
 * A stand-in Redis on loopback whose `PING` answers `PONG` and an error in turn, so with `HEALTH_CACHE_TTL_MS=0`
 * every evaluation of the service is a status transition (healthy, degraded, healthy…): the quickest way to give a
 * real service process a long history. It answers the commands ioredis sends on connecting (`CLIENT SETNAME`, the
 * ready check's `INFO`) and `+OK` to anything else; `pings` counts the `PING`s.
 */
export class FlappingRedis {
  pings = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<FlappingRedis> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const redis = new FlappingRedis(server, address.port);
    server.on('connection', (socket) => redis.accept(socket));
    return redis;
  }

  close(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let command: string[] | undefined;
      while ((command = takeCommand())) socket.write(this.answer(command));
    });

    /** The next whole command (a RESP array of bulk strings) off `pending`, or `undefined` until one has arrived. */
    function takeCommand(): string[] | undefined {
      const header = /^\*(\d+)\r\n/.exec(pending);
      if (!header) return undefined;
      let at = header[0].length;
      const parts: string[] = [];
      for (let i = 0; i < Number(header[1]); i++) {
        const length = /^\$(\d+)\r\n/.exec(pending.slice(at));
        if (!length) return undefined;
        const start = at + length[0].length;
        const end = start + Number(length[1]);
        if (pending.length < end + 2) return undefined;
        parts.push(pending.slice(start, end));
        at = end + 2;
      }
      pending = pending.slice(at);
      return parts;
    }
  }

  private answer([name = '']: string[]): string {
    switch (name.toUpperCase()) {
      case 'PING':
        return this.pings++ % 2 ? '-ERR flapping on purpose\r\n' : '+PONG\r\n';
      case 'INFO': {
        const info = '# Server\r\nredis_version:7.0.0\r\n# Persistence\r\nloading:0\r\n';
        return `$${info.length}\r\n${info}\r\n`;
      }
      default:
        return '+OK\r\n';
    }
  }
}
