import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { DatabaseProbe, isDriverTimeout } from './database.probe';
import { settingsFrom } from '../config/settings';
import { DATABASE_SETTINGS } from './database.settings';
import { PostgresProtocolError, PostgresWire } from './postgres-wire';
import { postgresEndpoints } from './postgres-url';
import { PrimaryLocator, ReadOnlyStandbyError, type RecoveryQuestion } from './primary-locator';

/** A pg client stand-in: its query answers as the test says, and it records how it was let go. */
class FakeClient extends EventEmitter {
  readonly stream = { destroyed: false, destroy: () => (this.stream.destroyed = true) };
  readonly connection = { stream: this.stream };
  released: Array<Error | boolean | undefined> = [];
  queried = false;
  constructor(private readonly answer: () => Promise<unknown>) {
    super();
  }
  query = (): Promise<unknown> => {
    this.queried = true;
    return this.answer();
  };
  release = (reason?: Error | boolean) => this.released.push(reason);
}

/** Lets pending promise callbacks run until `condition` holds (microtasks and immediate timers only). */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never held');
}

/** The database settings of an empty environment. */
const SETTINGS = settingsFrom(DATABASE_SETTINGS, {});
/** Its one server, as the module provides it. */
const LOCATOR = new PrimaryLocator(SETTINGS.endpoints, SETTINGS.timeoutMs, () =>
  Promise.reject(new Error('one host: never asked')),
);

/** The probe over `dataSource`, handed to it as the module's loader hands it the real one. */
const probeFor = (dataSource: DataSource) =>
  new DatabaseProbe(() => Promise.resolve(dataSource), LOCATOR, new PostgresWire());

function probeOver(client: FakeClient) {
  const pool = { connect: jest.fn(() => Promise.resolve(client)), end: jest.fn(() => Promise.resolve()) };
  const dataSource = { isInitialized: true, driver: { master: pool } } as unknown as DataSource;
  return { probe: probeFor(dataSource), pool };
}

const never = () => new Promise<never>(() => undefined);
const signal = () => new AbortController().signal;

describe('DatabaseProbe.ping', () => {
  it('runs SELECT 1 and hands the client back to the pool as healthy', async () => {
    const client = new FakeClient(() => Promise.resolve({ rows: [{ '?column?': 1 }] }));
    await probeOver(client).probe.ping(signal());
    expect(client.released).toEqual([undefined]);
    expect(client.stream.destroyed).toBe(false);
    expect(client.listenerCount('error')).toBe(0);
  });

  it('on a query that hangs until the check aborts: cuts the socket and drops the client, once', async () => {
    let fail: (error: Error) => void = () => undefined;
    const client = new FakeClient(() => new Promise((_, reject) => (fail = reject)));
    const controller = new AbortController();
    const { probe, pool } = probeOver(client);
    const pending = probe.ping(controller.signal);
    await waitUntil(() => pool.connect.mock.results.length > 0 && client.queried);
    controller.abort();
    expect(client.stream.destroyed).toBe(true);
    expect(client.released).toHaveLength(1);
    expect(client.released[0]).toBeInstanceOf(Error);
    fail(new Error('Connection terminated'));
    await expect(pending).rejects.toThrow('Connection terminated');
    expect(client.released).toHaveLength(1);
  });

  it('drops a client that arrives after the abort instead of using it', async () => {
    const client = new FakeClient(never);
    let hand: (value: FakeClient) => void = () => undefined;
    const pool = { connect: jest.fn(() => new Promise<FakeClient>((resolve) => (hand = resolve))), end: jest.fn() };
    const dataSource = { isInitialized: true, driver: { master: pool } } as unknown as DataSource;
    const controller = new AbortController();
    const pending = probeFor(dataSource).ping(controller.signal);
    await waitUntil(() => pool.connect.mock.calls.length > 0);
    controller.abort();
    hand(client);
    await expect(pending).rejects.toThrow();
    expect(client.queried).toBe(false);
    expect(client.stream.destroyed).toBe(true);
    expect(client.released).toHaveLength(1);
    expect(client.released[0]).toBeInstanceOf(Error);
  });

  it('on a failed query: passes the error on and drops the client as broken, once', async () => {
    const client = new FakeClient(() =>
      Promise.reject(new Error('terminating connection due to administrator command')),
    );
    await expect(probeOver(client).probe.ping(signal())).rejects.toThrow('terminating connection');
    expect(client.released).toHaveLength(1);
    expect(client.released[0]).toBeInstanceOf(Error);
  });

  it('survives an error event on the client while it holds it', async () => {
    let fail: (error: Error) => void = () => undefined;
    const client = new FakeClient(() => new Promise((_, reject) => (fail = reject)));
    const pending = probeOver(client).probe.ping(signal());
    await waitUntil(() => client.queried);
    expect(() => client.emit('error', new Error('Connection terminated unexpectedly'))).not.toThrow();
    fail(new Error('Connection terminated unexpectedly'));
    await expect(pending).rejects.toThrow('Connection terminated');
  });

  it.each([
    [new Error('received invalid response: 51'), 'it sent an unknown message type'],
    [new Error('Received unexpected dataRow message from backend.'), 'it sent a message out of turn'],
    [new PostgresProtocolError("it sent an unknown message type 'Q'"), "it sent an unknown message type 'Q'"],
  ])('says the server broke the protocol instead of passing on "%s"', async (failure, reason) => {
    const client = new FakeClient(() => Promise.reject(failure));
    await expect(probeOver(client).probe.ping(signal())).rejects.toThrow(
      `the server at 127.0.0.1:5432 does not speak the PostgreSQL protocol (${reason})`,
    );
    expect(client.released[0]).toBe(failure);
  });

  it('logs what the peer sent once per message, and again after a probe that succeeded', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      let answer = (): Promise<unknown> =>
        Promise.reject(new PostgresProtocolError("it sent an unknown message type 'Q'"));
      const { probe } = probeOver(new FakeClient(() => answer()));
      const line =
        "the server at 127.0.0.1:5432 does not speak the PostgreSQL protocol (it sent an unknown message type 'Q'): check DATABASE_URL";
      await expect(probe.ping(signal())).rejects.toThrow('does not speak');
      await expect(probe.ping(signal())).rejects.toThrow('does not speak');
      expect(warn.mock.calls).toEqual([[line]]);
      answer = () => Promise.reject(new Error('Received unexpected dataRow message from backend.'));
      await expect(probe.ping(signal())).rejects.toThrow('out of turn');
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn.mock.calls[1][0]).toContain('(it sent a message out of turn): check DATABASE_URL');
      answer = () => Promise.resolve({ rows: [{ in_recovery: false }] });
      await probe.ping(signal());
      answer = () => Promise.reject(new Error('Received unexpected dataRow message from backend.'));
      await expect(probe.ping(signal())).rejects.toThrow('out of turn');
      expect(warn).toHaveBeenCalledTimes(3);
      // A failure of a PostgreSQL (not a foreign peer) is the check's to log, not this.
      answer = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      await expect(probe.ping(signal())).rejects.toThrow('ECONNREFUSED');
      expect(warn).toHaveBeenCalledTimes(3);
    } finally {
      warn.mockRestore();
    }
  });

  it('says so when the data source has no pool', async () => {
    const dataSource = { isInitialized: true, driver: {} } as unknown as DataSource;
    await expect(probeFor(dataSource).ping(signal())).rejects.toThrow('pool is not ready');
  });
});

describe('DatabaseProbe.ping on a standby and through a failover', () => {
  const rows = (inRecovery: boolean) => () => Promise.resolve({ rows: [{ in_recovery: inRecovery }] });

  it('answers which server it used, and calls a standby a read-only standby (the client goes back healthy)', async () => {
    const primary = new FakeClient(rows(false));
    await expect(probeOver(primary).probe.ping(signal())).resolves.toMatchObject({ address: '127.0.0.1:5432' });
    const standby = new FakeClient(rows(true));
    const pending = probeOver(standby).probe.ping(signal());
    await expect(pending).rejects.toThrow(ReadOnlyStandbyError);
    await expect(pending).rejects.toThrow('connected to a read-only standby: 127.0.0.1:5432 is in recovery');
    expect(standby.released).toEqual([undefined]);
  });

  it('with several hosts, turns to the one a new scan finds and drops the old data source', async () => {
    const endpoints = postgresEndpoints('DATABASE_URL', 'postgres://app@a:5432,b:5432/app');
    const writable = new Set(['a:5432']);
    const ask: RecoveryQuestion = (endpoint) => Promise.resolve(!writable.has(endpoint.address));
    const answers: Record<string, () => Promise<unknown>> = { 'a:5432': rows(false), 'b:5432': rows(false) };
    const made: Array<{ url: string; pool: { end: jest.Mock; _clients: FakeClient[] } }> = [];
    const load = (url: string) => {
      const address = new URL(url).host;
      const client = new FakeClient(() => answers[address]());
      const pool = {
        connect: () => Promise.resolve(client),
        end: jest.fn(() => Promise.resolve()),
        _clients: [client],
      };
      made.push({ url, pool });
      return Promise.resolve({ isInitialized: true, driver: { master: pool } } as unknown as DataSource);
    };
    const probe = new DatabaseProbe(load, new PrimaryLocator(endpoints, 1000, ask), new PostgresWire());
    await expect(probe.ping(signal())).resolves.toBe(endpoints[0]);
    // The failover: a is demoted to a standby, b promoted. The probe that meets it follows it.
    answers['a:5432'] = rows(true);
    writable.clear();
    writable.add('b:5432');
    await expect(probe.ping(signal())).resolves.toBe(endpoints[1]);
    expect(made.map(({ url }) => url)).toEqual(['postgres://app@a:5432/app', 'postgres://app@b:5432/app']);
    await waitUntil(() => made[0].pool.end.mock.calls.length > 0);
    expect(made[0].pool._clients[0].stream.destroyed).toBe(true);
    await expect(probe.load()).resolves.toMatchObject({ driver: { master: made[1].pool } });
  });

  it("with several hosts, reports the scan's answer when no host is writable", async () => {
    const endpoints = postgresEndpoints('DATABASE_URL', 'postgres://app@a:5432,b:5432/app');
    const ask: RecoveryQuestion = (endpoint) =>
      endpoint.address === 'a:5432' ? Promise.resolve(true) : Promise.reject(new Error('connect ECONNREFUSED'));
    const load = () => Promise.reject(new Error('never loaded: no server to point at'));
    const probe = new DatabaseProbe(load, new PrimaryLocator(endpoints, 1000, ask), new PostgresWire());
    await expect(probe.ping(signal())).rejects.toThrow(
      'connected to a read-only standby: no writable host (a:5432 in recovery; b:5432 connect ECONNREFUSED)',
    );
  });
});

describe('DatabaseProbe.connect', () => {
  it('shares one initialisation between concurrent callers and tears down the pool of a failed one', async () => {
    const leftover = {
      _clients: [{ connection: { stream: { destroy: jest.fn() } } }],
      end: jest.fn(() => Promise.resolve()),
    };
    const driver: { master?: unknown } = {};
    let failStartupQuery = (): void => undefined;
    const startupQuery = new Promise<void>((resolve) => (failStartupQuery = resolve));
    const dataSource = {
      isInitialized: false,
      driver,
      initialize: jest.fn(async () => {
        driver.master = leftover; // TypeORM built the pool, then a start-up query failed
        await startupQuery;
        throw new Error('Query read timeout');
      }),
    } as unknown as DataSource;
    const probe = probeFor(dataSource);
    // All three callers arrive while the first attempt is still running.
    const attempts = [probe.connect(), probe.connect(), probe.connect()];
    failStartupQuery();
    for (const attempt of attempts) await expect(attempt).rejects.toThrow('Query read timeout');
    expect(dataSource.initialize).toHaveBeenCalledTimes(1);
    expect(leftover._clients[0].connection.stream.destroy).toHaveBeenCalled();
    expect(leftover.end).toHaveBeenCalled();
    expect(driver.master).toBeUndefined();
  });

  it('creates the data source at the first connect, not before, and destroys it at shutdown', async () => {
    const dataSource = { isInitialized: false, initialize: jest.fn(), destroy: jest.fn(() => Promise.resolve()) };
    dataSource.initialize.mockImplementation(() => Promise.resolve((dataSource.isInitialized = true)));
    const load = jest.fn(() => Promise.resolve(dataSource as unknown as DataSource));
    const probe = new DatabaseProbe(load, LOCATOR, new PostgresWire());
    expect(load).not.toHaveBeenCalled();
    await Promise.all([probe.connect(), probe.connect()]);
    await probe.connect();
    expect(load).toHaveBeenCalledTimes(1);
    expect(dataSource.initialize).toHaveBeenCalledTimes(1);
    await probe.onApplicationShutdown();
    expect(dataSource.destroy).toHaveBeenCalledTimes(1);
  });

  it('refuses to connect once the app is shutting down', async () => {
    const dataSource = { isInitialized: false, driver: {}, initialize: jest.fn() } as unknown as DataSource;
    const probe = probeFor(dataSource);
    await probe.onApplicationShutdown();
    await expect(probe.connect()).rejects.toThrow('shutting down');
    expect(dataSource.initialize).not.toHaveBeenCalled();
  });
});

describe('isDriverTimeout', () => {
  it.each([
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Query read timeout',
  ])('recognises "%s"', (message) => {
    expect(isDriverTimeout(new Error(message))).toBe(true);
  });

  it('leaves other failures alone', () => {
    expect(isDriverTimeout(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(false);
    expect(isDriverTimeout('connection timeout')).toBe(false);
  });
});
