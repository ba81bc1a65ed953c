import { RedisModule } from '@nestjs-modules/ioredis';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { CACHE_SETTINGS, type CacheSettings } from './cache.settings';
import { CacheIndicator } from './cache.health';
import { CacheProbe } from './cache.probe';
import { logConnectionChanges } from './redis-connection-log';
import { GuardedRedisConnector } from './redis-connector';
import { redisTargetOf } from './redis-errors';

/** Longest pause between reconnect attempts: short enough that a returning Redis shows up in the next reports. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * The Redis client (ioredis via `@nestjs-modules/ioredis`), set to fail fast: no offline queue, so a command sent
 * while disconnected rejects at once instead of waiting for the reconnect, and no retries of commands
 * caught by a disconnect. It reconnects by itself in the background with a capped back-off. Exports the cache
 * check's indicator.
 */
@Module({
  imports: [
    TerminusModule,
    RedisModule.forRootAsync({
      inject: [CACHE_SETTINGS.token],
      useFactory: (settings: CacheSettings) => ({
        type: 'single' as const,
        url: settings.url,
        options: {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          // Shorter than the check's own timeout, so a connection that cannot finish (a TLS handshake with a server
          // that does not speak TLS never does) fails with its own reason before the check gives up on it, and the
          // report says why instead of only "timed out", however busy the machine.
          connectTimeout: connectTimeoutFor(settings.timeoutMs),
          // A dropped connection is destroyed at once instead of after ioredis's 2 s grace for a FIN that a hung
          // server never sends: nothing may hold a socket past the probe's timeout.
          disconnectTimeout: 0,
          keepAlive: 10_000,
          connectionName: 'secuscan-health',
          retryStrategy: (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
          // Every connection's replies are checked before ioredis parses them: a hostile server cannot crash us.
          Connector: GuardedRedisConnector,
        },
        onClientReady: (client: Redis) => logConnectionChanges(client, redisTargetOf(settings)),
      }),
    }),
  ],
  providers: [CacheProbe, CacheIndicator],
  exports: [CacheIndicator],
})
export class CacheModule {}

/** The client's connect timeout for a check timeout of `checkTimeoutMs`: four fifths of it, at least 1 ms. */
function connectTimeoutFor(checkTimeoutMs: number): number {
  return Math.max(1, Math.floor(checkTimeoutMs * 0.8));
}
