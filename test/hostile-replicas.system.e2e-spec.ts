import type { Socket } from 'node:net';
import { boundedGet } from './support/bounded-get';
import { ChildApp } from './support/child-app';
import { SHARED_POSTGRES } from './support/dependencies';
import { HostilePeer } from './support/hostile-peer';
import { waitFor } from './support/wait';
import { pgMessage, readPgMessages } from './support/wire-fakes';

/** An ErrorResponse without its closing NUL, after a trust login: unguarded, pg-protocol loops on it for ever. */
const ENDLESS_ERROR = Buffer.concat([pgMessage('R', Buffer.alloc(4)), Buffer.from([0x45, 0, 0, 0, 5, 0x58])]);

/** A fake PostgreSQL that answers the startup message with {@link ENDLESS_ERROR}. */
const endlessError = {
  kind: 'fake' as const,
  serve: (socket: Socket) =>
    readPgMessages(socket, (message) => {
      if (message.kind === 'ssl-request') socket.write('N');
      if (message.kind === 'startup') socket.write(ENDLESS_ERROR);
    }),
};

type Checks = Record<string, { status: string; host?: string; hosts?: Array<Record<string, unknown>> }>;

/**
 * The connections the service makes beside the database check's pool — to each replica, and to each host of a
 * multi-host DATABASE_URL while it looks for the writable one — are guarded like the pool's: a server that sends
 * what froze pg's parser neither freezes nor ends the process (the built service, in a process of its own).
 */
describe('a hostile replica, or a hostile host in a multi-host DATABASE_URL', () => {
  let peer: HostilePeer;
  let service: ChildApp | undefined;

  beforeAll(async () => {
    peer = await HostilePeer.start(SHARED_POSTGRES);
    peer.act(endlessError);
    const hostile = `127.0.0.1:${peer.port}`;
    const shared = `${SHARED_POSTGRES.host}:${SHARED_POSTGRES.port}`;
    service = await ChildApp.start({
      // The hostile host first: the scan asks it, then settles on the machine's PostgreSQL, the writable one.
      DATABASE_URL: `postgres://postgres@${hostile},${shared}/postgres`,
      DATABASE_REPLICA_URLS: `postgres://postgres@${hostile}/postgres`,
      HEALTH_CACHE_TTL_MS: '0',
      HEALTH_DB_TIMEOUT_MS: '1000',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await peer?.close();
  });

  it('reports the replica as an error, keeps the database check on the writable host, and stays alive', async () => {
    const app = service as ChildApp;
    let last: Checks | undefined;
    await waitFor(
      async () => {
        if (!app.running) throw new Error(`the service is gone: ${app.logs.slice(-1500)}`);
        const answer = await boundedGet(`http://127.0.0.1:${app.port}/api/v1/health`).catch(() => undefined);
        last = (answer?.json as { checks?: Checks } | undefined)?.checks;
        return last?.database.status === 'ok' && last.replicas?.hosts?.[0]?.status === 'error';
      },
      { what: 'the database check ok and the replica an error', timeoutMs: 20_000 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the last was ${JSON.stringify(last)}`);
    });
    expect(last?.database.host).toBe(`${SHARED_POSTGRES.host}:${SHARED_POSTGRES.port}`);
    expect(last?.replicas.hosts?.[0]).toMatchObject({
      host: `127.0.0.1:${peer.port}`,
      streaming: false,
      detail: expect.stringMatching(/^unreachable: the server broke the PostgreSQL protocol: /),
    });
    expect(peer.connections).toBeGreaterThanOrEqual(2);
    expect((await boundedGet(`http://127.0.0.1:${app.port}/api/v1/health/live`)).status).toBe(200);
  });
});
