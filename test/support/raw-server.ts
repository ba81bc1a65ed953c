import { createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP server on loopback that accepts and then does `onConnection` (nothing, by default: a hung server), for
 * what no HTTP server would do, such as headers followed by a stalled body. `url` is its health route; `close`
 * destroys the open connections first, so it never waits on them.
 */
export async function rawServer(
  onConnection: (socket: Socket) => void = () => undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}/api/v1/health`,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
