import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { TimeoutError } from '../common/timeout';
import { DatabaseProbe } from './database.probe';

/** A pg client stand-in: its query answers as the test says, and it records how it was let go. */
class FakeClient extends EventEmitter {
  readonly stream = { destroyed: false, destroy: () => (this.stream.destroyed = true) };
  readonly connection = { stream: this.stream };
  released: Array<Error | boolean | undefined> = [];
  constructor(readonly query: () => Promise<unknown>) {
    super();
  }
  release = (reason?: Error | boolean) => this.released.push(reason);
}

function probeOver(client: FakeClient, connectDelayMs = 0) {
  const pool = {
    connect: jest.fn(() => new Promise((resolve) => setTimeout(() => resolve(client), connectDelayMs))),
    end: jest.fn(async () => undefined),
  };
  const dataSource = { isInitialized: true, driver: { master: pool } } as unknown as DataSource;
  return { probe: new DatabaseProbe(dataSource), pool };
}

const never = () => new Promise<never>(() => undefined);

describe('DatabaseProbe.ping', () => {
  it('runs SELECT 1 and hands the client back to the pool as healthy', async () => {
    const client = new FakeClient(async () => ({ rows: [{ '?column?': 1 }] }));
    await probeOver(client).probe.ping(1000);
    expect(client.released).toEqual([undefined]);
    expect(client.stream.destroyed).toBe(false);
    expect(client.listenerCount('error')).toBe(0);
  });

  it('on a query that hangs past the deadline: rejects with a TimeoutError, cuts the socket, drops the client', async () => {
    const client = new FakeClient(never);
    const start = Date.now();
    await expect(probeOver(client).probe.ping(100)).rejects.toEqual(new TimeoutError('database SELECT 1', 100));
    expect(Date.now() - start).toBeLessThan(500);
    expect(client.stream.destroyed).toBe(true);
    expect(client.released).toHaveLength(1);
    expect(client.released[0]).toBeInstanceOf(Error);
    expect(client.listenerCount('error')).toBe(0);
  });

  it('drops a client that arrives after the deadline instead of using it', async () => {
    const client = new FakeClient(async () => undefined);
    await expect(probeOver(client, 150).probe.ping(50)).rejects.toBeInstanceOf(TimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.stream.destroyed).toBe(true);
    expect(client.released).toHaveLength(1);
    expect(client.released[0]).toBeInstanceOf(Error);
  });

  it('on a failed query: passes the error on and drops the client as broken, once', async () => {
    const client = new FakeClient(() =>
      Promise.reject(new Error('terminating connection due to administrator command')),
    );
    await expect(probeOver(client).probe.ping(1000)).rejects.toThrow('terminating connection');
    expect(client.released).toHaveLength(1);
    expect(client.released[0]).toBeInstanceOf(Error);
  });

  it('survives an error event on the client while it holds it', async () => {
    let fail: (error: Error) => void = () => undefined;
    const client = new FakeClient(() => new Promise((_, reject) => (fail = reject)));
    const pending = probeOver(client).probe.ping(1000);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the client has been handed out
    expect(() => client.emit('error', new Error('Connection terminated unexpectedly'))).not.toThrow();
    fail(new Error('Connection terminated unexpectedly'));
    await expect(pending).rejects.toThrow('Connection terminated');
  });

  it('reports the pool’s own connect timeout as the probe timeout', async () => {
    const pool = { connect: jest.fn(() => Promise.reject(new Error('timeout exceeded when trying to connect'))) };
    const dataSource = { isInitialized: true, driver: { master: pool } } as unknown as DataSource;
    await expect(new DatabaseProbe(dataSource).ping(100)).rejects.toEqual(new TimeoutError('database SELECT 1', 100));
  });
});

describe('DatabaseProbe.connect', () => {
  it('shares one initialisation between concurrent callers and tears down the pool of a failed one', async () => {
    const leftover = {
      _clients: [{ connection: { stream: { destroy: jest.fn() } } }],
      end: jest.fn(async () => undefined),
    };
    const driver: { master?: unknown } = {};
    const dataSource = {
      isInitialized: false,
      driver,
      initialize: jest.fn(async () => {
        driver.master = leftover; // TypeORM built the pool, then a start-up query failed
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('Query read timeout');
      }),
    } as unknown as DataSource;
    const probe = new DatabaseProbe(dataSource);
    const attempts = [probe.connect(), probe.connect(), probe.connect()];
    for (const attempt of attempts) await expect(attempt).rejects.toThrow('Query read timeout');
    expect(dataSource.initialize).toHaveBeenCalledTimes(1);
    expect(leftover._clients[0].connection.stream.destroy).toHaveBeenCalled();
    expect(leftover.end).toHaveBeenCalled();
    expect(driver.master).toBeUndefined();
  });

  it('refuses to connect once the app is shutting down', async () => {
    const dataSource = { isInitialized: false, driver: {}, initialize: jest.fn() } as unknown as DataSource;
    const probe = new DatabaseProbe(dataSource);
    await probe.onApplicationShutdown();
    await expect(probe.connect()).rejects.toThrow('shutting down');
    expect(dataSource.initialize).not.toHaveBeenCalled();
  });
});
