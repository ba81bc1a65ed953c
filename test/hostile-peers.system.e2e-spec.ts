import type { Socket } from 'node:net';
import { boundedGet } from './support/bounded-get';
import { ChildApp } from './support/child-app';
import { SHARED_POSTGRES, SHARED_REDIS } from './support/dependencies';
import { HostilePeer } from './support/hostile-peer';
import { waitFor } from './support/wait';
import { pgMessage, readPgMessages, readRedisCommands, redisAnswer } from './support/wire-fakes';

/** What the drivers say about a peer they cannot read; none of it may reach a report or a log line. */
const DRIVER_INTERNALS = [
  /please report/i,
  /Maximum call stack/,
  /received invalid response/,
  /Received unexpected/,
  /not queryable/,
  /Protocol error, got/,
  /Command queue state error/,
];

/** 3,000 nested arrays (12 KB): redis-parser 3 overflowed its stack on them and the process died. */
const NESTED_ARRAYS = '*1\r\n'.repeat(3000) + ':1\r\n';

/** PostgreSQL's trust login, cut short after ReadyForQuery and followed by `tail` in the same packet. */
const loginThen = (tail: Buffer): Buffer => Buffer.concat([pgMessage('R', Buffer.alloc(4)), pgMessage('Z', 'I'), tail]);

/** A fake PostgreSQL that answers the startup message with `answer` and nothing else. */
function fakePostgres(answer: Buffer) {
  return {
    kind: 'fake' as const,
    serve: (socket: Socket) =>
      readPgMessages(socket, (message) => {
        if (message.kind === 'ssl-request') socket.write('N');
        if (message.kind === 'startup') socket.write(answer);
      }),
  };
}

/**
 * The built service, in a process of its own, against endpoints that answer as no PostgreSQL or Redis does, each
 * found in the attack round of issue 18: every one of them ended or froze the process. Now the process keeps
 * running and answering liveness, the check says what the server sent, and it recovers once a real server answers at
 * the same address.
 */
describe('a hostile PostgreSQL or Redis endpoint', () => {
  let db: HostilePeer;
  let cache: HostilePeer;
  let service: ChildApp | undefined;

  beforeAll(async () => {
    db = await HostilePeer.start(SHARED_POSTGRES);
    cache = await HostilePeer.start(SHARED_REDIS);
    service = await ChildApp.start({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${db.port}/postgres`,
      REDIS_URL: `redis://127.0.0.1:${cache.port}`,
      HEALTH_CACHE_TTL_MS: '0',
      HEALTH_DB_TIMEOUT_MS: '1000',
      HEALTH_CACHE_TIMEOUT_MS: '500',
    });
    await service.until('healthy');
  });
  afterAll(async () => {
    await service?.stop();
    await db?.close();
    await cache?.close();
  });

  afterEach(async () => {
    const app = running();
    expect((await boundedGet(`http://127.0.0.1:${app.port}/api/v1/health/live`)).status).toBe(200);
  });

  function running(): ChildApp {
    if (!service?.running) throw new Error(`the service is gone: ${service?.logs.slice(-1500)}`);
    return service;
  }

  /** Polls the report until `check` reads `detail` (`null`: until it is ok again); fails at once if the process ends. */
  async function untilDetail(check: string, detail: string | null): Promise<void> {
    let last: unknown;
    await waitFor(
      async () => {
        const app = running();
        const answer = await boundedGet(`http://127.0.0.1:${app.port}/api/v1/health`).catch((error: Error) => error);
        if (answer instanceof Error) return false;
        last = (answer.json as { checks: Record<string, { detail: string | null }> }).checks[check];
        return (last as { detail: unknown }).detail === detail;
      },
      { what: `the ${check} check to read ${JSON.stringify(detail)}`, timeoutMs: 15_000 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the last was ${JSON.stringify(last)}; alive: ${service?.running}`);
    });
  }

  const notRedis = (reason: string) =>
    `redis unreachable: the server at 127.0.0.1:${cache.port} does not speak the Redis protocol (${reason})`;
  const notPostgres = (reason: string) =>
    `database unreachable: the server at 127.0.0.1:${db.port} does not speak the PostgreSQL protocol (${reason})`;

  it('Redis answering PING with 3,000 nested arrays (a man in the middle): cache error, then recovery', async () => {
    cache.act({
      kind: 'intercept',
      when: (chunk) => /\$4\r\nping\r\n/i.test(chunk.toString('latin1')),
      answer: () => Buffer.from(NESTED_ARRAYS),
    });
    await untilDetail('cache', notRedis('it sent a reply nested deeper than 64 levels'));
    cache.act({ kind: 'pass' });
    await untilDetail('cache', null);
  });

  it('a fake Redis answering every command with them, as after each restart in the attack', async () => {
    cache.act({
      kind: 'fake',
      serve: (socket) => readRedisCommands(socket, () => socket.write(NESTED_ARRAYS)),
    });
    await untilDetail('cache', notRedis('it sent a reply nested deeper than 64 levels'));
    cache.act({ kind: 'pass' });
    await untilDetail('cache', null);
  });

  it('a fake Redis answering a command that was never sent: the connection starts over', async () => {
    cache.act({
      kind: 'fake',
      serve: (socket) =>
        readRedisCommands(socket, (command) =>
          socket.write(command[0] === 'ping' ? '+PONG\r\n+PONG\r\n' : redisAnswer(command)),
        ),
    });
    await untilDetail('cache', notRedis('it sent a reply to a command it was not sent'));
    cache.act({ kind: 'pass' });
    await untilDetail('cache', null);
  });

  it.each([
    [
      "an unknown message type ('Q') right after ReadyForQuery",
      pgMessage('Q', 'x\0'),
      "it sent an unknown message type 'Q'",
    ],
    [
      'a DataRow right after ReadyForQuery, out of turn',
      pgMessage('D', Buffer.from([0, 0])),
      'it sent a message out of turn',
    ],
    [
      'an ErrorResponse without its closing NUL, on which pg-protocol looped for ever',
      Buffer.from([0x45, 0, 0, 0, 5, 0x58]),
      'it sent an error or notice whose fields do not end inside it',
    ],
  ])('a fake PostgreSQL sending %s: database error, then recovery', async (_, tail, reason) => {
    db.act(fakePostgres(loginThen(tail)));
    await untilDetail('database', notPostgres(reason));
    db.act({ kind: 'pass' });
    await untilDetail('database', null);
  });

  it('PostgreSQL whose SELECT 1 is answered with an unknown message (a man in the middle)', async () => {
    db.act({
      kind: 'intercept',
      when: (chunk) => chunk[0] === 0x51 && chunk.includes('SELECT 1, pg_is_in_recovery()'),
      answer: () => pgMessage('Q', 'x\0'),
    });
    await untilDetail('database', notPostgres("it sent an unknown message type 'Q'"));
    db.act({ kind: 'pass' });
    await untilDetail('database', null);
  });

  it('logged what the servers sent in its own words, never the drivers’', () => {
    const logs = running().logs;
    expect(logs).toContain('does not speak the Redis protocol');
    expect(logs).toContain('does not speak the PostgreSQL protocol');
    for (const internal of DRIVER_INTERNALS) expect(logs).not.toMatch(internal);
  });
});
