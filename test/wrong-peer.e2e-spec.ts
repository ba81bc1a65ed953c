import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { RunningApp, startApp } from './support/app';
import { waitFor } from './support/wait';

/** What a driver says about a peer it cannot parse; none of it may reach a report or a log line. */
const DRIVER_INTERNALS = [/protocol error/i, /please report/i, /stream isn't writeable/i, /enableOfflineQueue/i];

/** The machine's real servers, for the dependency that is not under test. */
const REAL = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', REDIS_URL: 'redis://127.0.0.1:6379' };

/** An HTTP server on a free loopback port: what a dependency URL with the wrong port most often reaches. */
async function httpServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((_request, response) => response.end('<html>not a database</html>'));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls the report until `check`'s detail matches `detail`, then checks that the next reports say the same. */
async function settledDetail(service: RunningApp, check: string, detail: string): Promise<void> {
  let last: unknown;
  await waitFor(
    async () => {
      last = (await service.get()).body.checks[check].detail;
      return last === detail;
    },
    { what: `${check} detail "${detail}"`, timeoutMs: 10_000 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the last was ${JSON.stringify(last)}`);
  });
  for (let i = 0; i < 3; i++) expect((await service.get()).body.checks[check].detail).toBe(detail);
}

function expectNoDriverInternals(service: RunningApp): void {
  for (const line of service.logger.lines) {
    for (const internal of DRIVER_INTERNALS) expect(line.message).not.toMatch(internal);
  }
}

describe('a dependency URL that reaches a server of another kind', () => {
  let http: Awaited<ReturnType<typeof httpServer>>;
  let service: RunningApp | undefined;

  beforeAll(async () => (http = await httpServer()));
  afterAll(() => http.close());
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  it('REDIS_URL at an HTTP server: the cache check says the server does not speak Redis', async () => {
    service = await startApp({ ...REAL, REDIS_URL: `redis://127.0.0.1:${http.port}`, HEALTH_CACHE_TTL_MS: '0' });
    await settledDetail(
      service,
      'cache',
      `redis unreachable: the server at 127.0.0.1:${http.port} does not speak the Redis protocol`,
    );
    expect(service.logger.find('warn', 'does not speak the Redis protocol').length).toBeGreaterThan(0);
    expectNoDriverInternals(service);
  });

  it('DATABASE_URL at an HTTP server: the database check says the server does not speak PostgreSQL', async () => {
    const url = `postgres://postgres@127.0.0.1:${http.port}/postgres`;
    service = await startApp({ ...REAL, DATABASE_URL: url, HEALTH_CACHE_TTL_MS: '0' });
    await settledDetail(
      service,
      'database',
      `database unreachable: the server at 127.0.0.1:${http.port} does not speak the PostgreSQL protocol (it answered like HTTP)`,
    );
    expectNoDriverInternals(service);
  });

  it('DATABASE_URL at a Redis port: the database check says the server does not speak PostgreSQL', async () => {
    service = await startApp({
      ...REAL,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:6379/postgres',
      HEALTH_DB_TIMEOUT_MS: '1000',
      HEALTH_CACHE_TTL_MS: '0',
    });
    await settledDetail(
      service,
      'database',
      'database unreachable: the server at 127.0.0.1:6379 does not speak the PostgreSQL protocol (it answered like Redis)',
    );
    expectNoDriverInternals(service);
  });
});
