import { createServer, type Server, type Socket } from 'node:net';
import { boundedGet } from './support/bounded-get';
import { ChildApp } from './support/child-app';
import { SHARED_REDIS } from './support/dependencies';
import { HostilePeer } from './support/hostile-peer';
import { waitFor } from './support/wait';
import { readRedisCommands, redisAnswer } from './support/wire-fakes';

/** 3,000 nested arrays: redis-parser 3 overflows its stack on them, and the process dies unless a guard reads first. */
const NESTED_ARRAYS = '*1\r\n'.repeat(3000) + ':1\r\n';

const bulk = (text: string): string => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

/**
 * A sentinel written for the test: it names the port `master()` as the master of any name (a string is sent as the
 * answer itself), knows no other sentinel, and answers `SENTINEL replicas` with `replicas()` (no replica by default).
 */
async function fakeSentinel(master: () => number | string, replicas: () => string = () => '*0\r\n'): Promise<Server> {
  const server = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    readRedisCommands(socket, ([name, sub = '']) => {
      if (name !== 'sentinel') return socket.write(redisAnswer([name]));
      const which = sub.toLowerCase();
      if (which === 'get-master-addr-by-name') {
        const named = master();
        return socket.write(typeof named === 'string' ? named : `*2\r\n${bulk('127.0.0.1')}${bulk(String(named))}`);
      }
      return socket.write(which === 'replicas' ? replicas() : '*0\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = (server: Server): number => (server.address() as { port: number }).port;

/**
 * Sentinel mode against hostile peers, the built service in a process of its own: the master the sentinels name and
 * a sentinel itself answer with 3,000 nested arrays. The connection to the master and the check's own connections to
 * the sentinels pass the same guard as one server's: the process keeps serving, the check says what was sent, and
 * it recovers once the peer behaves.
 */
describe('Sentinel mode against a hostile master or sentinel', () => {
  let master: HostilePeer;
  let sentinel: Server;
  let sentinelReplicas = '*0\r\n';
  let sentinelMaster: string | undefined;
  let service: ChildApp | undefined;

  beforeAll(async () => {
    master = await HostilePeer.start(SHARED_REDIS);
    sentinel = await fakeSentinel(
      () => sentinelMaster ?? master.port,
      () => sentinelReplicas,
    );
    service = await ChildApp.start({
      REDIS_URL: `redis+sentinel://127.0.0.1:${portOf(sentinel)}/mymaster`,
      HEALTH_CACHE_TTL_MS: '0',
      HEALTH_CACHE_TIMEOUT_MS: '500',
    });
    await service.until('healthy');
  });
  afterAll(async () => {
    await service?.stop();
    await master?.close();
    await new Promise((resolve) => sentinel?.close(resolve));
  });
  afterEach(async () => {
    if (!service?.running) throw new Error(`the service is gone: ${service?.logs.slice(-1500)}`);
    expect((await boundedGet(`http://127.0.0.1:${service.port}/api/v1/health/live`)).status).toBe(200);
  });

  async function untilCache(matches: (cache: Record<string, unknown>) => boolean, what: string) {
    let last: unknown;
    return waitFor(
      async () => {
        if (!service?.running) throw new Error(`the service is gone: ${service?.logs.slice(-1500)}`);
        const cache = (await service.get('/health')).body.checks?.cache as Record<string, unknown> | undefined;
        last = cache;
        return cache && matches(cache) && cache;
      },
      { what: `${what} (last: ${JSON.stringify(last)})`, timeoutMs: 15_000 },
    );
  }

  it('the master answering PING with 3,000 nested arrays: cache error, the process lives, then recovery', async () => {
    master.act({
      kind: 'intercept',
      when: (chunk) => /ping/i.test(chunk.toString('latin1')) && !/info/i.test(chunk.toString('latin1')),
      answer: () => Buffer.from(NESTED_ARRAYS),
    });
    const refused = await untilCache(
      (cache) => String(cache.detail).includes('nested deeper than 64 levels'),
      'the check to say what the master sent',
    );
    expect(refused).toMatchObject({ status: 'error', mode: 'sentinel', master: `127.0.0.1:${master.port}` });
    master.act({ kind: 'pass' });
    await untilCache((cache) => cache.status === 'ok', 'the cache ok again');
  });

  it('a sentinel answering SENTINEL replicas with them: that sentinel does not count, the process lives', async () => {
    sentinelReplicas = NESTED_ARRAYS;
    await untilCache((cache) => cache.sentinels_reachable === 0, 'the sentinel left out');
    expect((await service!.get('/health')).body.checks.cache).toMatchObject({ status: 'ok', sentinels: 1 });
    sentinelReplicas = '*0\r\n';
    await untilCache((cache) => cache.sentinels_reachable === 1 && cache.status === 'ok', 'the sentinel back');
    expect(service!.logs).not.toMatch(/Maximum call stack|please report/i);
  });

  it("a sentinel naming the master with them, read by ioredis's own look-up on reconnect: the process lives", async () => {
    sentinelMaster = NESTED_ARRAYS;
    // The master drops its connections: the client reconnects, and ioredis asks the sentinel where the master is.
    const before = master.connections;
    master.act({ kind: 'pass' });
    const lost = await untilCache((cache) => cache.status === 'error', 'the cache in error without a master');
    // The check's own connection to the sentinel reads the same answer: that sentinel does not count either.
    expect(lost).toMatchObject({ mode: 'sentinel', sentinels: 1, sentinels_reachable: 0 });
    // It stays up through several of ioredis's look-ups (it retries with a growing delay), and reaches no master.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(service!.running).toBe(true);
    expect(master.connections).toBe(before);
    sentinelMaster = undefined;
    await untilCache((cache) => cache.status === 'ok', 'the cache ok once the sentinel names the master');
    expect(service!.logs).not.toMatch(/Maximum call stack|please report/i);
  });
});
