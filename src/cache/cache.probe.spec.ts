import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { TimeoutError } from '../common/timeout';
import { CacheProbe } from './cache.probe';

/** An ioredis stand-in with a settable status, a controllable PING and a record of disconnects. */
class FakeRedis extends EventEmitter {
  status = 'ready';
  pong: () => Promise<string> = async () => 'PONG';
  disconnects: boolean[] = [];
  ping = () => this.pong();
  disconnect = (reconnect = false) => this.disconnects.push(reconnect);
}

function setup() {
  const client = new FakeRedis();
  return { client, probe: new CacheProbe(client as unknown as Redis) };
}

describe('CacheProbe.ping', () => {
  it('answers when Redis says PONG', async () => {
    const { probe } = setup();
    await expect(probe.ping(100)).resolves.toBeUndefined();
  });

  it('fails at once while disconnected, saying why the connection was lost', async () => {
    const { client, probe } = setup();
    client.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    client.status = 'reconnecting';
    const start = Date.now();
    await expect(probe.ping(1000)).rejects.toThrow('connect ECONNREFUSED 127.0.0.1:6379; not connected (reconnecting)');
    expect(Date.now() - start).toBeLessThan(50);
  });

  it('forgets the last error once the connection is ready again', async () => {
    const { client, probe } = setup();
    client.emit('error', new Error('boom'));
    client.emit('ready');
    client.status = 'end';
    await expect(probe.ping(100)).rejects.toThrow(/^not connected \(end\)$/);
  });

  it('on a PING that hangs: times out and drops the connection so ioredis reconnects', async () => {
    const { client, probe } = setup();
    client.pong = () => new Promise<never>(() => undefined);
    await expect(probe.ping(50)).rejects.toEqual(new TimeoutError('redis PING', 50));
    expect(client.disconnects).toEqual([true]);
  });

  it('waits for a handshake in progress, within the timeout', async () => {
    const { client, probe } = setup();
    client.status = 'connect';
    const pending = probe.ping(500);
    setTimeout(() => {
      client.status = 'ready';
      client.emit('ready');
    }, 20);
    await expect(pending).resolves.toBeUndefined();
  });

  it('a handshake that never finishes costs one timeout and leaves no listener behind', async () => {
    const { client, probe } = setup();
    client.status = 'connect';
    const readyListeners = client.listenerCount('ready');
    for (let i = 0; i < 5; i++) await expect(probe.ping(20)).rejects.toBeInstanceOf(TimeoutError);
    expect(client.listenerCount('ready')).toBe(readyListeners);
    expect(client.disconnects).toEqual([true, true, true, true, true]);
  });

  it('rejects an answer that is not PONG', async () => {
    const { client, probe } = setup();
    client.pong = async () => 'LOADING';
    await expect(probe.ping(100)).rejects.toThrow('redis answered PING with "LOADING"');
  });

  it('closes without waiting on the server at shutdown', () => {
    const { client, probe } = setup();
    probe.onApplicationShutdown();
    expect(client.disconnects).toEqual([false]);
  });
});
