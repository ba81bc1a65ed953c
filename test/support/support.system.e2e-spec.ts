/**
 * Self-test of the shared integration helpers: if these lie, every suite built on them lies too.
 * Uses the machine's PostgreSQL on 127.0.0.1:5432 only as a read-only proxy target (SELECT 1).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type ClientConfig } from 'pg';
import { FaultProxy } from './fault-proxy';
import { PrivatePostgres, isProcessAlive } from './private-postgres';
import { PrivateRedis, pingRedis } from './private-redis';
import { redisCli } from './redis-topologies';
import { waitFor } from './wait';

const SHARED_PG = { host: '127.0.0.1', port: 5432 };

/** A pg client that never crashes the run on a proxy-inflicted socket error. */
function pgClient(config: ClientConfig): Client {
  const client = new Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres', ...config });
  client.on('error', () => undefined);
  return client;
}

/** Connects, runs SELECT 1 and ends; resolves with the value read back. */
async function selectOne(config: ClientConfig): Promise<number> {
  const client = pgClient({ connectionTimeoutMillis: 2000, ...config });
  try {
    await client.connect();
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    return rows[0].one;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('FaultProxy', () => {
  let proxy: FaultProxy;
  beforeEach(async () => {
    proxy = await FaultProxy.start(SHARED_PG);
  });
  afterEach(async () => {
    await proxy.close();
  });

  it('pass: forwards a real PostgreSQL session and counts it', async () => {
    expect(proxy.port).toBeGreaterThan(0);
    await expect(selectOne({ port: proxy.port })).resolves.toBe(1);
    expect(proxy.totalConnections).toBe(1);
    expect(proxy.upstreamConnections).toBe(1);
    await waitFor(() => proxy.openConnections === 0, { what: 'client connection to close' });
    expect(proxy.openUpstreamConnections).toBe(0);
  });

  it('blackhole: new connections are accepted but hang until the client times out', async () => {
    await proxy.setMode('blackhole');
    const client = pgClient({ port: proxy.port, connectionTimeoutMillis: 500 });
    const started = Date.now();
    const connecting = client.connect();
    // Accepted and counted while hung: the port is open, nothing answers.
    await waitFor(() => proxy.openConnections === 1, { what: 'hung connection to be counted', timeoutMs: 400 });
    await expect(connecting).rejects.toThrow(/timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(proxy.totalConnections).toBe(1);
    // The client destroyed its socket; the proxy must not keep it (nor its upstream) alive.
    await waitFor(() => proxy.openConnections === 0 && proxy.openUpstreamConnections === 0, {
      what: 'timed-out connection to be released',
    });
  });

  it('blackhole: an existing connection stops answering, and resetConnections drops it', async () => {
    const client = pgClient({ port: proxy.port, query_timeout: 500 });
    await client.connect();
    await expect(client.query('SELECT 1')).resolves.toBeDefined();
    await proxy.setMode('blackhole');
    await expect(client.query('SELECT 1')).rejects.toThrow(/timeout/i);
    expect(proxy.openConnections).toBe(1); // hung, not closed
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    proxy.resetConnections();
    await ended;
    expect(proxy.openConnections).toBe(0);
  });

  it('refuse: connects get ECONNREFUSED, existing ones are dropped, pass re-listens on the same port', async () => {
    const port = proxy.port;
    const existing = pgClient({ port });
    await existing.connect();
    const ended = new Promise<void>((resolve) => existing.once('end', () => resolve()));

    await proxy.setMode('refuse');
    await ended;
    expect(proxy.openConnections).toBe(0);
    await expect(selectOne({ port })).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await proxy.setMode('pass');
    expect(proxy.port).toBe(port);
    await expect(selectOne({ port })).resolves.toBe(1);
    expect(proxy.totalConnections).toBe(2); // the refused attempt was never accepted
  });

  it('close: is idempotent and frees the port', async () => {
    const port = proxy.port;
    await proxy.close();
    await proxy.close();
    await expect(selectOne({ port })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(proxy.setMode('pass')).rejects.toThrow(/closed/);
  });
});

describe('PrivatePostgres', () => {
  it('creates, stops, restarts on the same port and destroys without leftovers', async () => {
    const pg = await PrivatePostgres.create();
    try {
      expect(pg.port).not.toBe(5432);
      expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
      await expect(selectOne({ connectionString: pg.url })).resolves.toBe(1);
      const pid = Number(readFileSync(join(pg.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);

      await pg.stop();
      await expect(selectOne({ connectionString: pg.url })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(isProcessAlive(pid)).toBe(false); // stop() waits for the postmaster itself

      await pg.start();
      await expect(selectOne({ connectionString: pg.url })).resolves.toBe(1);
    } finally {
      await pg.destroy();
      await pg.destroy(); // idempotent
    }
    expect(existsSync(pg.dir)).toBe(false);
    await expect(selectOne({ connectionString: pg.url })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 30_000);
});

describe('PrivateRedis', () => {
  it('creates, stops, restarts on the same port and destroys without leftovers', async () => {
    const redis = await PrivateRedis.create();
    try {
      expect(redis.port).not.toBe(6379);
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      await expect(pingRedis(redis.port)).resolves.toBe(true);

      await redis.stop();
      await expect(pingRedis(redis.port)).resolves.toBe(false);

      await redis.start();
      await expect(pingRedis(redis.port)).resolves.toBe(true);
    } finally {
      await redis.destroy();
      await redis.destroy(); // idempotent
    }
    expect(existsSync(redis.dir)).toBe(false);
    await expect(pingRedis(redis.port)).resolves.toBe(false);
  }, 30_000);

  it('reads a config file first, counts a server that wants a password as up, pauses and kills', async () => {
    const redis = await PrivateRedis.create([], { config: 'requirepass from-the-file\n' });
    try {
      // Up, though PING answers NOAUTH: the password came from the file.
      await expect(pingRedis(redis.port)).resolves.toBe(true);
      expect(await redisCli(redis.port, ['PING'], 'from-the-file')).toBe('PONG\n');
      redis.pause(true);
      await expect(pingRedis(redis.port, '127.0.0.1', 300)).resolves.toBe(false);
      redis.pause(false);
      await expect(pingRedis(redis.port)).resolves.toBe(true);
      await redis.kill();
      await expect(pingRedis(redis.port)).resolves.toBe(false);
    } finally {
      await redis.destroy();
    }
    expect(existsSync(redis.dir)).toBe(false);
  }, 30_000);
});
