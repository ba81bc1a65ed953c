import { RedisModule } from '@nestjs-modules/ioredis';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CACHE_SETTINGS, type CacheSettings } from './cache.settings';
import { CacheIndicator } from './cache.health';
import { CacheProbe } from './cache.probe';
import { ClusterProbe } from './cluster.probe';
import { logConnectionChanges } from './redis-connection-log';
import { redisTargetOf } from './redis-errors';
import { redisModuleOptions } from './redis-topology-client';
import { SentinelProbe } from './sentinel.probe';

/**
 * The Redis client (ioredis via `@nestjs-modules/ioredis`) for REDIS_URL's topology, set to fail fast (see
 * `redisClientBasics`), with the probes of the cache check. Exports the check's indicator.
 */
@Module({
  imports: [
    TerminusModule,
    RedisModule.forRootAsync({
      inject: [CACHE_SETTINGS.token],
      useFactory: (settings: CacheSettings) =>
        redisModuleOptions(settings, (client) => logConnectionChanges(client, redisTargetOf(settings))),
    }),
  ],
  providers: [CacheProbe, SentinelProbe, ClusterProbe, CacheIndicator],
  exports: [CacheIndicator],
})
export class CacheModule {}
