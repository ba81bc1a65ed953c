import { Logger } from '@nestjs/common';
import type { EventEmitter } from 'node:events';
import { explainRedisError, isMissingDatabase, isNotRedis, RedisTarget } from './redis-errors';

/**
 * Listens to the client's connection events and logs each change once: the first error after being connected,
 * and the return. Without an `error` listener ioredis prints every failed reconnect attempt; with a naive one the
 * log gets a line per attempt. Must be attached before the client's first connect attempt.
 */
export function logConnectionChanges(client: EventEmitter, target: RedisTarget, logger = new Logger('Redis')): void {
  let up: boolean | undefined;
  let databaseReported = false;
  client.on('ready', () => {
    if (up === false) logger.log('connection restored');
    up = true;
  });
  client.on('error', (error: Error) => {
    if (isMissingDatabase(error)) {
      // The connection itself is fine; say once that the configured database is missing, not on every reconnect.
      if (!databaseReported) logger.error(`${explainRedisError(error, target)}: check REDIS_URL`);
      databaseReported = true;
      return;
    }
    if (up === false) return;
    up = false;
    if (isNotRedis(error)) {
      logger.warn(`${explainRedisError(error, target)}: check REDIS_URL; reconnecting in the background`);
      return;
    }
    // ioredis messages name host and port only ("connect ECONNREFUSED 127.0.0.1:6379"): no credentials.
    logger.warn(`connection lost or refused: ${explainRedisError(error, target)}; reconnecting in the background`);
  });
}
