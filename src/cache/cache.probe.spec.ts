import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { settingsFrom } from '../config/settings';
import { CACHE_SETTINGS } from './cache.settings';
import { CacheProbe } from './cache.probe';
import { RedisProtocolError } from './redis-errors';

/**
 * An ioredis stand-in with a settable status, a controllable PING and a record of disconnects. Like ioredis, a
 * disconnect rejects the commands still waiting for an answer.
 */
class FakeRedis extends EventEmitter {
  status = 'ready';
  pings = 0;
  pong: () => Promise<string> = () => Promise.resolve('PONG');
  disconnects: boolean[] = [];
  private pending: Array<(error: Error) => void> = [];

  ping = (): Promise<string> => {
    this.pings++;
    return new Promise((resolve, reject) => {
      this.pending.push(reject);
      this.pong().then(resolve, reject);
    });
  };

  disconnect = (reconnect = false): void => {
    this.disconnects.push(reconnect);
    for (const reject of this.pending.splice(0)) reject(new Error('Connection is closed.'));
  };
}

const hang = (): Promise<string> => new Promise<never>(() => undefined);

function setup() {
  const client = new FakeRedis();
  return {
    client,
    probe: new CacheProbe(
      client as unknown as Redis,
      settingsFrom(CACHE_SETTINGS, { REDIS_URL: 'redis://cache:6379/3' }),
    ),
  };
}

describe('CacheProbe.ping', () => {
  it('words an error met while waiting for the handshake as the connection log does', async () => {
    const client = new FakeRedis();
    client.status = 'connecting';
    const probe = new CacheProbe(
      client as unknown as Redis,
      settingsFrom(CACHE_SETTINGS, { REDIS_URL: 'rediss://cache:6380' }),
    );
    const pinged = probe.ping(new AbortController().signal);
    client.emit('error', new Error('connect ETIMEDOUT'));
    await expect(pinged).rejects.toThrow(/^TLS connection failed \(connect ETIMEDOUT\)/);
  });

  it('fails while the server refused the configured database, until a new connection selects it', async () => {
    const { client, probe } = setup();
    client.emit('connect');
    client.emit('error', new Error('ERR DB index is out of range'));
    await expect(probe.ping(new AbortController().signal)).rejects.toThrow(
      'redis database 3 does not exist on the server (SELECT 3 refused)',
    );
    client.emit('connect');
    client.emit('ready');
    await expect(probe.ping(new AbortController().signal)).resolves.toBeUndefined();
  });

  it('answers when Redis says PONG', async () => {
    const { probe } = setup();
    await expect(probe.ping(new AbortController().signal)).resolves.toBeUndefined();
  });

  it('fails at once while disconnected, saying why the connection was lost, without sending anything', async () => {
    const { client, probe } = setup();
    client.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    client.status = 'reconnecting';
    await expect(probe.ping(new AbortController().signal)).rejects.toThrow(
      'connect ECONNREFUSED 127.0.0.1:6379; not connected (reconnecting)',
    );
    expect(client.pings).toBe(0);
  });

  it('forgets the last error once the connection is ready again', async () => {
    const { client, probe } = setup();
    client.emit('error', new Error('boom'));
    client.emit('ready');
    client.status = 'end';
    await expect(probe.ping(new AbortController().signal)).rejects.toThrow(/^not connected \(end\)$/);
  });

  it('on a PING that hangs: an abort drops the connection so ioredis reconnects, and the PING settles', async () => {
    const { client, probe } = setup();
    client.pong = hang;
    const controller = new AbortController();
    const pending = probe.ping(controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow('Connection is closed.');
    expect(client.disconnects).toEqual([true]);
  });

  it('does nothing for an already aborted check', async () => {
    const { client, probe } = setup();
    await expect(probe.ping(AbortSignal.abort())).rejects.toThrow();
    expect(client.pings).toBe(0);
    expect(client.disconnects).toEqual([]);
  });

  it('waits for a handshake in progress', async () => {
    const { client, probe } = setup();
    client.status = 'connect';
    const pending = probe.ping(new AbortController().signal);
    client.status = 'ready';
    client.emit('ready');
    await expect(pending).resolves.toBeUndefined();
  });

  it('a handshake that never finishes costs one abort each and leaves no listener behind', async () => {
    const { client, probe } = setup();
    client.status = 'connect';
    const readyListeners = client.listenerCount('ready');
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const pending = probe.ping(controller.signal);
      controller.abort();
      await expect(pending).rejects.toThrow();
    }
    expect(client.listenerCount('ready')).toBe(readyListeners);
    expect(client.disconnects).toEqual([true, true, true, true, true]);
    expect(client.pings).toBe(0);
  });

  it('reports what a peer that is not Redis sent until a connection gets ready again', async () => {
    const { client, probe } = setup();
    client.emit('error', new RedisProtocolError('it sent a reply nested deeper than 64 levels'));
    client.status = 'reconnecting';
    await expect(probe.ping(new AbortController().signal)).rejects.toThrow(
      'the server at cache:6379 does not speak the Redis protocol (it sent a reply nested deeper than 64 levels)',
    );
    client.status = 'ready';
    client.emit('ready');
    await expect(probe.ping(new AbortController().signal)).resolves.toBeUndefined();
  });

  it('starts over on a new connection after a reply nobody asked for, which puts the connection out of step', () => {
    const { client } = setup();
    client.emit('error', new Error('Command queue state error. If you can reproduce this, please report it.'));
    expect(client.disconnects).toEqual([true]);
  });

  it('rejects an answer that is not PONG', async () => {
    const { client, probe } = setup();
    client.pong = () => Promise.resolve('LOADING');
    await expect(probe.ping(new AbortController().signal)).rejects.toThrow('redis answered PING with "LOADING"');
  });

  it('closes without waiting on the server at shutdown', () => {
    const { client, probe } = setup();
    probe.onApplicationShutdown();
    expect(client.disconnects).toEqual([false]);
  });
});
