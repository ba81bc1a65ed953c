import { InjectRedis } from '@nestjs-modules/ioredis';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { once } from 'node:events';
import { CACHE_SETTINGS, type CacheSettings } from './cache.settings';
import {
  explainRedisError,
  isMissingDatabase,
  isNotRedis,
  isNotWritable,
  isUnaskedReply,
  missingDatabase,
  RedisTarget,
  redisTargetOf,
} from './redis-errors';

/** Redis is not connected right now; the client is reconnecting in the background. */
export class CacheUnavailableError extends Error {
  override name = 'CacheUnavailableError';
}

/** States in which the client is still shaking hands and may become ready within the probe's time. */
const HANDSHAKING = new Set(['connecting', 'connect']);

/**
 * The only code that talks to Redis for health. `ping` fails at once while the client is disconnected and otherwise
 * waits for a handshake in progress and a `PING`; when the caller aborts, it drops the connection (ioredis then
 * rejects what it had queued and reconnects), so a hung Redis holds no socket or queued command past the check.
 */
@Injectable()
export class CacheProbe implements OnApplicationShutdown {
  /** Why the connection was last lost, so a fast failure still says what is wrong. */
  private lastError?: string;
  /**
   * Set when the server refused the `SELECT` of the configured database on this connection. ioredis only reports
   * that as an `error` event and then serves `PING` on database 0, which would look healthy.
   */
  private databaseMissing = false;
  /** Set, to what to report, when the peer answered something other than Redis; cleared when a connection gets ready. */
  private notRedis?: string;
  private readonly target: RedisTarget;

  constructor(
    @InjectRedis() private readonly client: Redis,
    @Inject(CACHE_SETTINGS.token) settings: CacheSettings,
  ) {
    this.target = redisTargetOf(settings);
    client.on('error', (error: Error) => {
      if (isMissingDatabase(error)) this.databaseMissing = true;
      if (isNotRedis(error)) this.notRedis = explainRedisError(error, this.target);
      // A reply nobody asked for puts the connection out of step (each later reply would answer the wrong command),
      // and ioredis keeps it open: start over on a new one.
      if (isUnaskedReply(error)) client.disconnect(true);
      // "Stream isn't writeable" follows the error that closed the stream: keep that one, the cause.
      if (isNotWritable(error) && this.lastError) return;
      this.lastError = explainRedisError(error, this.target);
    });
    // A new connection selects again; the server may have been reconfigured meanwhile. The SELECT reply arrives
    // before `ready` (ioredis pipelines SELECT before its ready check), so `ready` already knows the outcome.
    client.on('connect', () => (this.databaseMissing = false));
    client.on('ready', () => {
      this.lastError = undefined;
      this.notRedis = undefined;
    });
  }

  /** Sends `PING`; rejects with a CacheUnavailableError, the client's error, or the abort reason. */
  async ping(signal: AbortSignal): Promise<void> {
    const { client } = this;
    // Nothing more to say while the peer is known not to be Redis: the reconnect state would only add noise.
    if (this.notRedis) throw new CacheUnavailableError(this.notRedis);
    if (client.status !== 'ready' && !HANDSHAKING.has(client.status)) {
      const reason = this.lastError ? `${this.lastError}; ` : '';
      throw new CacheUnavailableError(`${reason}not connected (${client.status})`);
    }
    signal.throwIfAborted();
    const drop = (): void => client.disconnect(true);
    signal.addEventListener('abort', drop, { once: true });
    try {
      // The signal also removes the `ready` listener, so probes during a long handshake do not pile up listeners.
      if (client.status !== 'ready') await once(client, 'ready', { signal });
      const reply = await client.ping();
      if (reply !== 'PONG') throw new Error(`redis answered PING with "${String(reply)}"`);
      if (this.databaseMissing) throw new Error(missingDatabase(this.target.database));
    } catch (error) {
      // A handshake that fails while this probe waits for it rejects with the client's raw error: word it as the
      // error listener does (TLS, missing database). The abort reason (the check's timeout) stays as it is.
      if (signal.aborted || !(error instanceof Error)) throw error;
      if (this.notRedis) throw new CacheUnavailableError(this.notRedis, { cause: error });
      const explained = explainRedisError(error, this.target);
      throw explained === error.message ? error : new Error(explained, { cause: error });
    } finally {
      signal.removeEventListener('abort', drop);
    }
  }

  /**
   * Closes the connection without waiting on the server: `QUIT` to a hung Redis would never be answered and would
   * hold the shutdown. Runs after the HTTP server has closed (in-flight requests may still probe) and before
   * `@nestjs-modules/ioredis` (a global module, shut down last) sends its own `QUIT`, which then fails fast.
   */
  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}
